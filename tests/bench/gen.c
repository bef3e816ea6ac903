/*
 * gen.c: deterministic benchmark data for descend.
 *
 *     gen [-f 6g|15g|17g|18e] N D > file.csv
 *
 * Writes a header x1,...,xD,y and N rows of D features and a target
 * y = b + Σ c_j x_j + ε. Feature j is normal with its own mean and scale (so
 * that standardizing matters), c_j and b are fixed by the seed, ε ~ N(0, 1).
 * Values are printed with %.6g by default, as a typical export would; -f picks
 * another format for the same values: 15g (R's write.csv, 15 significant
 * digits), 17g (enough to give back every double exactly) or 18e
 * (numpy.savetxt's default, 19 significant digits and an exponent). The PRNG is
 * our own (splitmix64 to seed xoshiro256**), so the same arguments give the
 * same bytes on every machine.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEED 20240601u

static uint64_t s[4];

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
next(void)
{
	uint64_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* Uniform on (0, 1): 53 random bits, never 0. */
static double
uniform(void)
{
	return ((double)(next() >> 11) + 0.5) * 0x1.0p-53;
}

/* Standard normal by Box–Muller, both values used. */
static double
normal(void)
{
	static int have;
	static double spare;
	double r, t;

	if (have) {
		have = 0;
		return spare;
	}
	r = sqrt(-2 * log(uniform()));
	t = 6.283185307179586 * uniform();
	spare = r * sin(t);
	have = 1;
	return r * cos(t);
}

static int
parse_count(const char *arg, unsigned long *out)
{
	char *end;

	if (arg[0] < '0' || arg[0] > '9')
		return -1;
	*out = strtoul(arg, &end, 10);
	return *end == '\0' && *out > 0 ? 0 : -1;
}

/* Write v with the format picked by -f, then the character end. */
static void
put(double v, int sci, int digits, char end)
{
	if (sci)
		printf("%.*e%c", digits, v, end);
	else
		printf("%.*g%c", digits, v, end);
}

int
main(int argc, char **argv)
{
	unsigned long n, d;
	int sci = 0, digits = 6;
	uint64_t seed = SEED;
	double *mean, *scale, *coef, *x, intercept;
	static char obuf[1 << 20];

	if (argc == 5 && strcmp(argv[1], "-f") == 0) {
		if (strcmp(argv[2], "15g") == 0)
			digits = 15;
		else if (strcmp(argv[2], "17g") == 0)
			digits = 17;
		else if (strcmp(argv[2], "18e") == 0)
			sci = 1, digits = 18;
		else if (strcmp(argv[2], "6g") != 0)
			argc = 0; /* usage */
		argv += 2;
		argc -= 2;
	}
	if (argc != 3 || parse_count(argv[1], &n) || parse_count(argv[2], &d)) {
		fputs("usage: gen [-f 6g|15g|17g|18e] N D > file.csv\n"
		      "   (N rows, D features, both >= 1)\n",
		    stderr);
		return 2;
	}
	for (int i = 0; i < 4; i++)
		s[i] = splitmix64(&seed);
	mean = malloc(d * sizeof(*mean));
	scale = malloc(d * sizeof(*scale));
	coef = malloc(d * sizeof(*coef));
	x = malloc(d * sizeof(*x));
	if (!mean || !scale || !coef || !x) {
		fputs("gen: out of memory\n", stderr);
		return 1;
	}
	for (unsigned long j = 0; j < d; j++) {
		mean[j] = 100 * (uniform() - 0.5);	  /* -50 .. 50 */
		scale[j] = exp(6 * uniform() - 3);	  /* 0.05 .. 20 */
		coef[j] = (4 * uniform() - 2) / scale[j]; /* ±2 per sd */
	}
	intercept = 10 * normal();

	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	for (unsigned long j = 0; j < d; j++)
		printf("x%lu,", j + 1);
	puts("y");
	for (unsigned long i = 0; i < n; i++) {
		double y = intercept;

		for (unsigned long j = 0; j < d; j++) {
			x[j] = mean[j] + scale[j] * normal();
			y += coef[j] * x[j];
			put(x[j], sci, digits, ',');
		}
		put(y + normal(), sci, digits, '\n');
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: write");
		return 1;
	}
	return 0;
}
