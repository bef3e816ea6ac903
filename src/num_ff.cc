/*
 * num_ff.cc: num_ff.h on two header-and-library C++ packages, fast_float
 * (D. Lemire, "Number parsing at a gigabyte per second", Software: Practice and
 * Experience 51(8), 2021; N. Noble, "Fast number parsing without fallback",
 * 2023) and double-conversion (F. Loitsch, "Printing floating-point numbers
 * quickly and accurately with integers", PLDI 2010, with its exact bignum
 * fallback). The only C++ file of the program; nothing here allocates or
 * throws.
 */
#include <fast_float/fast_float.h>
#include <double-conversion/double-to-string.h>

#include "num_ff.h"

int
num_ff_lemire(uint64_t w, int64_t q, double *out)
{
	using binary = fast_float::binary_format<double>;
	fast_float::adjusted_mantissa am;

	/*
	 * The 128-bit product of w with the truncated 5^q of the table decides
	 * the rounding unless its low bits leave it open; then power2 < 0.
	 */
	am = fast_float::compute_float<binary>(q, w);
	if (am.power2 < 0)
		return 0;
	fast_float::to_float(false, am, *out);
	return 1;
}

int
num_ff_text(const char *s, const char *end, double *out)
{
	fast_float::from_chars_result r = fast_float::from_chars(s, end, *out);

	return r.ec == std::errc() && r.ptr == end;
}

int
num_ff_shortest(double x, char *digits, int *point)
{
	using Converter = double_conversion::DoubleToStringConverter;
	bool sign;
	int length;

	Converter::DoubleToAscii(x, Converter::SHORTEST, 0, digits,
	    Converter::kBase10MaximalLength + 1, &sign, &length, point);
	return length;
}
