/*
 * generate.c - deterministic generator of the synthetic sample data sets
 * data/homes.csv and data/homes_exact.csv (see data/README.md).
 *
 *   cc -std=c11 -O2 -Wall -Wextra -o gen data/generate.c -lm && ./gen data
 *
 * Self-contained: libc and libm only, its own PRNG (splitmix64 seeding
 * xoshiro256**, Marsaglia's polar method for normal deviates), never rand().
 * Numbers are printed with plain printf in the C locale (setlocale is never
 * called), LF line endings, so the output is byte-identical on every run.
 *
 * Model (coefficients in input units):
 *   price = 50000 + 120*sqft - 800*age + 4000*rooms - 1500*distance + noise
 *   noise ~ Normal(0, 15000) in homes.csv, 0 in homes_exact.csv.
 * Features (identical rows in both files):
 *   sqft     uniform integer 500..4000
 *   age      uniform integer 0..100
 *   rooms    round(1 + (sqft - 500)/500 + Normal(0, 1)), clamped to 1..8
 *   distance uniform 0.50..40.00 km in steps of 0.01
 * Because distance has two decimals, 1500*distance = 15*(distance in units
 * of 0.01 km) is an integer, so the noise-free price is an exact integer,
 * computed in integer arithmetic and printed with %.17g.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NROWS 1000
#define SEED UINT64_C(20240601)

#define B0 50000 /* intercept */
#define B_SQFT 120
#define B_AGE (-800)
#define B_ROOMS 4000
#define B_DIST (-1500) /* per km; the generator uses -15 per 0.01 km */
#define NOISE_SD 15000.0

/* ---- PRNG: splitmix64 seeds xoshiro256** ---- */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

typedef struct {
	uint64_t s[4];
	int has_spare;
	double spare;
} rng;

static void
rng_seed(rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
	r->has_spare = 0;
	r->spare = 0.0;
}

static uint64_t
rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/* uniform double in [0, 1) with 53 random bits */
static double
rng_unif(rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* uniform integer in lo..hi (inclusive), unbiased (rejection sampling) */
static long
rng_int(rng *r, long lo, long hi)
{
	uint64_t range = (uint64_t)(hi - lo) + 1;
	uint64_t limit =
	    UINT64_MAX - UINT64_MAX % range; /* multiple of range */
	uint64_t x;
	do
		x = rng_next(r);
	while (x >= limit);
	return lo + (long)(x % range);
}

/* standard normal deviate, Marsaglia's polar method */
static double
rng_normal(rng *r)
{
	if (r->has_spare) {
		r->has_spare = 0;
		return r->spare;
	}
	double u, v, s;
	do {
		u = 2.0 * rng_unif(r) - 1.0;
		v = 2.0 * rng_unif(r) - 1.0;
		s = u * u + v * v;
	} while (s >= 1.0 || s == 0.0);
	double m = sqrt(-2.0 * log(s) / s);
	r->spare = v * m;
	r->has_spare = 1;
	return u * m;
}

/* ---- data ---- */

typedef struct {
	long sqft, age, rooms, cdist; /* cdist: distance in units of 0.01 km */
	long exact;		      /* noise-free price */
	double noise;
} row;

static row rows[NROWS];

static void
make_rows(void)
{
	rng r;
	rng_seed(&r, SEED);
	/* features first, row by row */
	for (int i = 0; i < NROWS; i++) {
		row *w = &rows[i];
		w->sqft = rng_int(&r, 500, 4000);
		w->age = rng_int(&r, 0, 100);
		double rm = nearbyint(
		    1.0 + (double)(w->sqft - 500) / 500.0 + rng_normal(&r));
		w->rooms = rm < 1.0 ? 1 : rm > 8.0 ? 8 : (long)rm;
		w->cdist = rng_int(&r, 50, 4000);
		w->exact = B0 + B_SQFT * w->sqft + B_AGE * w->age +
		    B_ROOMS * w->rooms - 15 * w->cdist;
	}
	/* then the noise, from a fresh stream so that the features do not
	   depend on how the noise is drawn */
	rng_seed(&r, SEED + 1);
	for (int i = 0; i < NROWS; i++)
		rows[i].noise = NOISE_SD * rng_normal(&r);
}

static int
write_file(const char *dir, const char *name, int exact)
{
	size_t len = strlen(dir) + strlen(name) + 2;
	char *path = malloc(len);
	if (!path) {
		fprintf(stderr, "generate: out of memory\n");
		return 1;
	}
	snprintf(path, len, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "generate: %s: %s\n", path, strerror(errno));
		free(path);
		return 1;
	}
	fprintf(f, "sqft,age,rooms,distance,price\n");
	for (int i = 0; i < NROWS; i++) {
		const row *w = &rows[i];
		fprintf(f, "%ld,%ld,%ld,%ld.%02ld,", w->sqft, w->age, w->rooms,
		    w->cdist / 100, w->cdist % 100);
		if (exact)
			fprintf(f, "%.17g\n", (double)w->exact);
		else
			fprintf(f, "%.2f\n", (double)w->exact + w->noise);
	}
	int bad = ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	if (bad) {
		fprintf(stderr, "generate: %s: write error\n", path);
		free(path);
		return 1;
	}
	free(path);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr,
		    "usage: %s DIRECTORY\n"
		    "writes DIRECTORY/homes.csv and DIRECTORY/homes_exact.csv\n",
		    argc > 0 ? argv[0] : "generate");
		return 2;
	}
	make_rows();
	if (write_file(argv[1], "homes.csv", 0) ||
	    write_file(argv[1], "homes_exact.csv", 1))
		return 1;
	return 0;
}
