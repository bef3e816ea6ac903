/*
 * num_ff.h: the two conversions num.c takes from C++ libraries, behind a C
 * interface (src/num_ff.cc): decimal to binary by fast_float (Eisel-Lemire,
 * with its exact fallback), binary to shortest decimal by double-conversion.
 * Only num.c calls these; it checks the grammar first (num.h), as fast_float
 * accepts more.
 */
#ifndef DESCEND_NUM_FF_H
#define DESCEND_NUM_FF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * w·10^q correctly rounded, into *out, by Eisel and Lemire's algorithm: 1, or 0
 * in the rare cases it cannot decide (then the caller needs num_ff_text).
 * w must be the exact value of the digits (at most 19 significant digits).
 * Too large gives infinity, too small zero or a subnormal, as strtod does.
 */
int num_ff_lemire(uint64_t w, int64_t q, double *out);

/*
 * The unsigned decimal [s, end) (digits, an optional point, an optional
 * exponent: num.h's grammar without the sign) correctly rounded into *out,
 * whatever its number of digits: 1, or 0 if fast_float did not read it all
 * (which the grammar rules out; the caller then asks strtod).
 */
int num_ff_text(const char *s, const char *end, double *out);

/*
 * The shortest digits of finite |x| that read back to x (the closest of them to
 * x when several are as short): writes them to digits (at least 18 bytes,
 * NUL-terminated, no leading or trailing zeros; "0" for zero) and returns their
 * number; *point is where the decimal point goes: |x| = 0.DIGITS × 10^point.
 */
int num_ff_shortest(double x, char *digits, int *point);

#ifdef __cplusplus
}
#endif

#endif
