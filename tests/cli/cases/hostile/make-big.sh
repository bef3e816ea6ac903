#!/bin/sh
# Generate the large hostile inputs of hostile.bats at test time (they are never committed).
#
#   make-big.sh commas FILE          a,y with a 1 MiB line of commas as the second data row
#   make-big.sh field FILE           a,b,y with a 10 MiB quoted text field in column a, row 2
#   make-big.sh wide FILE            header x1..x100000,y and 3 rows of whole numbers
#   make-big.sh rows FILE N C        a header x1..x(C-1),y and N rows of C numbers, y linear in x
#
# Everything is deterministic (no random numbers), so a failure can be reproduced byte for byte.
set -eu

# repeat BYTE COUNT: COUNT copies of the character BYTE on stdout.
repeat() {
	head -c "$2" /dev/zero | tr '\0' "$1"
}

kind=$1
file=$2
case $kind in
commas)
	{
		printf 'a,y\n1,2\n'
		repeat , 1048576
		printf '\n3,5\n'
	} >"$file"
	;;
field)
	{
		printf 'a,b,y\n1,1,2\n"'
		repeat x 10485760
		printf '",2,3\n3,4,5\n'
	} >"$file"
	;;
wide)
	awk 'BEGIN {
		d = 100000
		for (i = 1; i <= d; i++)
			printf "x%d,", i
		print "y"
		for (r = 1; r <= 3; r++) {
			for (i = 1; i <= d; i++)
				printf "%d,", (i * r * 7919) % 97
			print r
		}
	}' >"$file"
	;;
rows)
	awk -v n="$3" -v c="$4" 'BEGIN {
		for (i = 1; i < c; i++)
			printf "x%d,", i
		print "y"
		for (r = 1; r <= n; r++) {
			y = 0
			for (i = 1; i < c; i++) {
				v = ((r * 7 + i * 13) * (i + 3)) % 1000 / 100
				y += (i % 5 - 2) * v
				printf "%.2f,", v
			}
			printf "%.4f\n", y + ((r * 37) % 101) / 1000
		}
	}' >"$file"
	;;
*)
	echo "make-big.sh: unknown kind $kind" >&2
	exit 2
	;;
esac
