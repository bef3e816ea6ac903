#!/bin/sh
# The Debian packages a goal needs: check names the missing ones with their
# apt-get line and fails; install installs them (as root; otherwise as check).
# usage: deps.sh check|install CC check=package...   where check is h:HEADER
# (C), hxx:HEADER (C++, through CC's driver) or cmd:COMMAND
mode=$1
cc=$2
shift 2
missing=""
for need in "$@"; do
	check=${need%%=*}
	package=${need#*=}
	case $check in
	h:*)	printf '#include <%s>\n' "${check#h:}" |
		    $cc -E -x c - >/dev/null 2>&1 ;;
	hxx:*)	printf '#include <%s>\n' "${check#hxx:}" |
		    $cc -E -x c++ -std=c++17 - >/dev/null 2>&1 ;;
	cmd:*)	command -v "${check#cmd:}" >/dev/null 2>&1 ;;
	esac || case " $missing " in
		*" $package "*) ;;
		*) missing="$missing $package" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$mode" != install ] || [ "$(id -u)" -ne 0 ]; then
	echo "descend needs these Debian packages; install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "Installing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 && apt-get install -y -qq$missing >&2
