/*
 * table.c: from a CSV input to a dataset, one record at a time: the header,
 * the choice of columns, a record to a row of doubles, and table_read, which
 * picks the reader. The way of one row, in one direction:
 *
 *   table_read -> csv_read_watched (csv.c): bytes -> fields; the fields of
 *     number columns -> doubles (num.c) as they are tokenized
 *   -> table_on_record, once per whole record: the first fixes the columns
 *     (start); every data record -> record_to_row -> a row of the dataset
 *     (the cells left as text: missing values, category levels, class
 *     labels, and the bad numbers that table_cell names).
 *
 * The readers on several threads, and of one range of a file, run the same
 * stages on parts of the input: table_threads.c.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>

#include "csv.h"
#include "num.h"
#include "model.h"
#include "names.h"
#include "table.h"
#include "table_threads.h"

/* Index of the column spec names (a name first, else a 1-based number), or -1.
 */
static long
find_column(const struct table *t, const char *spec, struct error *e)
{
	long found = -1;
	char *end;
	unsigned long k;

	for (size_t j = 0; j < t->ncols; j++) {
		if (strcmp(t->colname[j], spec) != 0)
			continue;
		if (found >= 0) {
			error_set(e, EXIT_INPUT,
			    "%s:1: column name \"%s\" appears "
			    "twice (columns %ld and %zu)",
			    t->opt->name, spec, found + 1, j + 1);
			return -2;
		}
		found = (long)j;
	}
	if (found >= 0 || spec[0] < '0' || spec[0] > '9')
		return found;
	k = strtoul(spec, &end, 10);
	if (*end != '\0' || k < 1 || k > t->ncols)
		return -1;
	return (long)k - 1;
}

static int
is_used(const struct table *t, size_t col)
{
	for (size_t k = 0; k < t->nuse; k++)
		if (t->use[k] == col)
			return 1;
	return 0;
}

/* Add column col to t->use (features), or mark it dropped. */
static int
add_column(struct table *t, long col, const char *what, char *dropped,
    size_t target, struct error *e)
{
	if ((size_t)col == target)
		return error_set(e, EXIT_USAGE,
		    "%s: %s \"%s\" is the target column", t->opt->name, what,
		    t->colname[col]);
	if (dropped != NULL)
		dropped[col] = 1;
	else if (is_used(t, (size_t)col))
		return error_set(e, EXIT_USAGE, "%s: %s \"%s\" is given twice",
		    t->opt->name, what, t->colname[col]);
	else
		t->use[t->nuse++] = (size_t)col;
	return 0;
}

/* Copy of item without the spaces and tabs around it (free it). */
static char *
trimmed(const char *item)
{
	size_t n;
	char *copy;

	item += strspn(item, " \t");
	n = strlen(item);
	while (n > 0 && (item[n - 1] == ' ' || item[n - 1] == '\t'))
		n--;
	copy = xmalloc(n + 1);
	memcpy(copy, item, n);
	copy[n] = '\0';
	return copy;
}

/*
 * The column spec names, as find_column finds it, else without the spaces
 * around it; -1 if none, -2 with e filled for a name that appears twice.
 */
static long
find_trimmed(const struct table *t, const char *spec, struct error *e)
{
	long col = find_column(t, spec, e);
	char *bare;

	if (col != -1)
		return col;
	bare = trimmed(spec);
	if (strcmp(bare, spec) != 0)
		col = find_column(t, bare, e);
	free(bare);
	return col;
}

/*
 * The columns an item of a list names, *lo to *hi (0-based): one column, or a
 * range "A-B" of two columns (1-based numbers or names, the first not after
 * the second) when no column is named item itself. Returns 0; -1 with e
 * filled (EXIT_USAGE) when item names no column, its message suggesting the
 * nearest name; -2 with e filled for a name that appears twice or a range
 * that goes backwards. what and after name the item in messages ("column",
 * " in --drop").
 */
static int
find_item(const struct table *t, const char *item, const char *what,
    const char *after, long *lo, long *hi, struct error *e)
{
	char hint[800], *bare;
	long col = find_trimmed(t, item, e);

	if (col == -2)
		return -2;
	*lo = *hi = col;
	if (col >= 0)
		return 0;
	bare = trimmed(item);
	for (char *dash = strchr(bare + 1, '-'); bare[0] != '\0' && dash;
	     dash = strchr(dash + 1, '-')) {
		*dash = '\0';
		*lo = find_trimmed(t, bare, e);
		*hi = *lo >= 0 ? find_trimmed(t, dash + 1, e) : -1;
		*dash = '-';
		if (*lo == -2 || *hi == -2) {
			free(bare);
			return -2;
		}
		if (*lo >= 0 && *hi >= 0)
			break;
	}
	if (*lo >= 0 && *hi >= 0 && *lo > *hi)
		col = error_set(e, EXIT_USAGE,
			  "%s: the range \"%s\" goes backwards (column %ld to "
			  "%ld)",
			  t->opt->name, bare, *lo + 1, *hi + 1) *
		    2;
	else if (*lo >= 0 && *hi >= 0)
		col = 0;
	else
		col = error_set(e, EXIT_USAGE, "%s: %s \"%s\"%s not found%s",
		    t->opt->name, what, bare, after,
		    names_hint(hint, sizeof(hint),
			(const char *const *)t->colname, t->ncols, bare,
			"columns"));
	free(bare);
	return (int)col;
}

/*
 * Add the columns in the comma-separated list to t->use (features) or mark
 * them dropped. Items may have spaces around them; a range (find_item) leaves
 * out the target.
 */
static int
add_list(struct table *t, const char *list, const char *what, char *dropped,
    size_t target, struct error *e)
{
	char *copy = xstrdup(list), *item = copy, *comma;
	int status = 0;

	for (; status == 0 && item != NULL; item = comma ? comma + 1 : NULL) {
		long lo, hi;

		if ((comma = strchr(item, ',')) != NULL)
			*comma = '\0';
		if (find_item(t, item, dropped ? "column" : "feature column",
			dropped ? " in --drop" : "", &lo, &hi, e) != 0) {
			status = -1;
			break;
		}
		for (long col = lo; status == 0 && col <= hi; col++) {
			if (lo < hi && (size_t)col == target)
				continue;
			status = add_column(t, col, what, dropped, target, e);
		}
	}
	free(copy);
	return status;
}

/* Used columns ordered by name, then by position, to find duplicates in O(n log
 * n). */
struct named {
	const char *name;
	size_t column;
};

static int
compare_named(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->column > y->column) - (x->column < y->column);
}

/* Check that the used columns have distinct, non-empty, unreserved names. */
static int
check_names(const struct table *t, struct error *e)
{
	struct named *sorted = xcalloc(t->nuse, sizeof(*sorted));
	int status = 0;

	for (size_t a = 0; a < t->nuse && status == 0; a++) {
		const char *name = t->colname[t->use[a]];

		sorted[a] = (struct named){ name, t->use[a] };
		if (t->has_nul[t->use[a]])
			status = error_set(e, EXIT_INPUT,
			    "%s:1: the name of column %zu "
			    "holds a NUL byte",
			    t->opt->name, t->use[a] + 1);
		else if (name[0] == '\0' && a + 1 == t->nuse)
			status = error_set(e, EXIT_INPUT,
			    "%s:1: column %zu has an empty name (name it in "
			    "the header, or choose another target with -t)",
			    t->opt->name, t->use[a] + 1);
		else if (name[0] == '\0')
			status = error_set(e, EXIT_INPUT,
			    "%s:1: column %zu has an empty name (%sleave it "
			    "out with --drop %zu, or name it in the header)",
			    t->opt->name, t->use[a] + 1,
			    t->use[a] == 0 ? "row names, as R's write.csv and "
					     "pandas' to_csv write them? "
					   : "",
			    t->use[a] + 1);
		else if (strcmp(name, MODEL_INTERCEPT) == 0)
			status = error_set(e, EXIT_INPUT,
			    "%s:1: column %zu is named "
			    "\"%s\", which the weights file reserves",
			    t->opt->name, t->use[a] + 1, name);
	}
	if (status == 0)
		qsort(sorted, t->nuse, sizeof(*sorted), compare_named);
	for (size_t a = 1; a < t->nuse && status == 0; a++)
		if (strcmp(sorted[a - 1].name, sorted[a].name) == 0)
			status = error_set(e, EXIT_INPUT,
			    "%s:1: column name \"%s\" appears twice (columns "
			    "%zu and %zu; leave one out with --drop %zu, or "
			    "rename one in the header)",
			    t->opt->name, sorted[a].name,
			    sorted[a - 1].column + 1, sorted[a].column + 1,
			    sorted[a].column + 1);
	free(sorted);
	return status;
}

static int
compare_cat(const void *a, const void *b)
{
	const struct category *x = a, *y = b;

	return (x->feature > y->feature) - (x->feature < y->feature);
}

/*
 * Mark column col, named in --categorical, as a text feature with levels; a
 * column that is not a feature is an error, unless in_range (the range
 * "A-B" passes over it).
 */
static int
add_category(struct table *t, long col, int in_range, struct error *e)
{
	size_t k = 0;

	int other;

	while (k + 1 < t->nuse && t->use[k] != (size_t)col)
		k++;
	other = k + 1 == t->nuse || (long)k == t->weight_k;
	if (other && in_range)
		return 0;
	if (other)
		return error_set(e, EXIT_USAGE,
		    "%s: --categorical column \"%s\" is not a feature",
		    t->opt->name, t->colname[col]);
	if (t->cat_of[k] < 0) {
		t->cat_of[k] = 0;
		category_init(&t->cat[t->ncat++], t->colname[col], k);
	}
	return 0;
}

/* Mark the features named in --categorical as text columns with levels. */
static int
select_categories(struct table *t, struct error *e)
{
	char *copy, *item, *comma;
	int status = 0;

	t->cat_of = xcalloc(t->nuse, sizeof(long));
	for (size_t k = 0; k < t->nuse; k++)
		t->cat_of[k] = -1;
	if (t->opt->categorical == NULL)
		return 0;
	copy = xstrdup(t->opt->categorical);
	t->cat = xcalloc(t->nuse, sizeof(*t->cat));
	for (item = copy; status == 0 && item != NULL;
	     item = comma ? comma + 1 : NULL) {
		long lo, hi;

		if ((comma = strchr(item, ',')) != NULL)
			*comma = '\0';
		if (find_item(t, item, "--categorical column", "", &lo, &hi,
			e) != 0) {
			status = -1;
			break;
		}
		for (long col = lo; status == 0 && col <= hi; col++)
			status = add_category(t, col, lo < hi, e);
	}
	free(copy);
	/* Keep them in feature order, as category_expand wants. */
	qsort(t->cat, t->ncat, sizeof(*t->cat), compare_cat);
	for (size_t c = 0; c < t->ncat; c++)
		t->cat_of[t->cat[c].feature] = (long)c;
	return status;
}

/*
 * The --weight column: its index, -1 without one, or -2 with e filled when it
 * is not found or is the target.
 */
static long
select_weight(struct table *t, size_t target, struct error *e)
{
	const char *spec = t->opt->weight;
	long col;

	if (spec == NULL)
		return -1;
	if ((col = find_column(t, spec, e)) == -2)
		return -2;
	if (col < 0) {
		error_set(e, EXIT_USAGE, "%s: --weight column \"%s\" not found",
		    t->opt->name, spec);
		return -2;
	}
	if ((size_t)col == target) {
		error_set(e, EXIT_USAGE,
		    "%s: --weight column \"%s\" is the target column",
		    t->opt->name, t->colname[col]);
		return -2;
	}
	return col;
}

/* Decide the target and features from the column names. */
static int
select_columns(struct table *t, struct error *e)
{
	const struct table_options *o = t->opt;
	size_t target = t->ncols - 1;
	const char **names;
	long weight;

	if (o->target != NULL) {
		long col = find_trimmed(t, o->target, e);
		char hint[800];

		if (col == -2)
			return -1;
		if (col < 0 && o->target[0] != '\0' &&
		    strspn(o->target, "0123456789") == strlen(o->target))
			return error_set(e, EXIT_USAGE,
			    "%s: target column %s not "
			    "found (the input has %zu columns)",
			    o->name, o->target, t->ncols);
		if (col < 0)
			return error_set(e, EXIT_USAGE,
			    "%s: target column \"%s\" not found%s", o->name,
			    o->target,
			    names_hint(hint, sizeof(hint),
				(const char *const *)t->colname, t->ncols,
				o->target, "columns"));
		target = (size_t)col;
	}
	if (t->ncols == 1) {
		char name[64];

		error_quote(name, sizeof(name), t->colname[0],
		    strlen(t->colname[0]));
		return error_set(e, EXIT_INPUT,
		    "%s:1: one column, \"%s\", and no feature to fit it "
		    "with (a CSV of the target and at least one feature is "
		    "needed; is the delimiter -d right?)",
		    o->name, name);
	}
	if (o->target_last != NULL)
		*o->target_last = target + 1 == t->ncols;
	t->use = xcalloc(t->ncols, sizeof(*t->use));
	if ((weight = select_weight(t, target, e)) == -2)
		return -1;
	if (o->features != NULL) {
		if (add_list(t, o->features, "feature", NULL, target, e))
			return -1;
	} else {
		char *dropped = xcalloc(t->ncols, 1);
		int status = 0;

		if (o->drop != NULL)
			status =
			    add_list(t, o->drop, "--drop", dropped, target, e);
		for (size_t j = 0; status == 0 && j < t->ncols; j++)
			if (j != target && !dropped[j] && (long)j != weight)
				t->use[t->nuse++] = j;
		free(dropped);
		if (status)
			return -1;
	}
	if (weight >= 0 && is_used(t, (size_t)weight))
		return error_set(e, EXIT_USAGE,
		    "%s: --weight column \"%s\" "
		    "is also given as a feature",
		    o->name, t->colname[weight]);
	t->weight_k = -1;
	if (weight >= 0) {
		t->weight_k = (long)t->nuse;
		t->use[t->nuse++] = (size_t)weight;
	}
	t->use[t->nuse++] = target;
	if (check_names(t, e) || select_categories(t, e))
		return -1;
	names = xcalloc(t->nuse, sizeof(*names));
	for (size_t k = 0; k < t->nuse; k++)
		names[k] = t->colname[t->use[k]];
	dataset_init(t->ds, t->nuse - 1, names);
	t->ds->reread = t->opt->reread;
	free(names);
	return 0;
}

void
table_column_name(char *buf, size_t size, size_t j, size_t ncols, int last_is_y)
{
	if (last_is_y && j + 1 == ncols)
		snprintf(buf, size, "y");
	else
		snprintf(buf, size, "x%zu", j + 1);
}

int
table_check_width(const char *file, const struct csv_record *rec, size_t ncols,
    struct error *e)
{
	if (rec->nfields == ncols)
		return 0;
	return error_set(e, EXIT_INPUT,
	    "%s:%ld: row has %zu field%s, expected %zu", file, rec->line,
	    rec->nfields, rec->nfields == 1 ? "" : "s", ncols);
}

/*
 * Whether a cell that is not a number reads as text, a level of a category
 * ("setosa", "USA"): it holds a letter, begins with none of a number's first
 * characters ("1.5x", "0x10" are broken numbers), and is no word that stands
 * for a missing or special value (NA, NaN, NULL, None, N/A, inf).
 */
static int
is_text(const char *s, size_t len)
{
	static const char *const special[] = { "na", "nan", "n/a", "#n/a",
		"null", "none", "inf", "infinity", "nil", NULL };
	int letter = 0;

	if (len == 0 || strchr("0123456789.+-", s[0]) != NULL)
		return 0;
	for (size_t i = 0; i < len; i++)
		if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
			letter = 1;
	for (size_t k = 0; letter && special[k] != NULL; k++)
		if (strlen(special[k]) == len &&
		    strncasecmp(special[k], s, len) == 0)
			return 0;
	return letter;
}

/* Whether s would be a number with its one comma read as a point. */
static int
decimal_comma(const char *s, size_t len)
{
	char buf[64];
	const char *comma = memchr(s, ',', len);
	double x;

	if (comma == NULL || len >= sizeof(buf) ||
	    memchr(comma + 1, ',', len - (size_t)(comma - s) - 1) != NULL)
		return 0;
	memcpy(buf, s, len);
	buf[comma - s] = '.';
	return num_parse(buf, len, &x) == NUM_OK;
}

int
table_cell(const char *file, const struct csv_record *rec, size_t col,
    const char *name, int drop_hint, double *out, struct error *e)
{
	enum num_status status = num_parse(rec->field[col], rec->len[col], out);
	char value[128];
	int feature = drop_hint == TABLE_CELL_FEATURE;

	if (status == NUM_OK)
		return 0;
	if (status == NUM_EMPTY)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: empty cell in column "
		    "\"%s\": a missing value (see --missing)",
		    file, rec->line, col + 1, name);
	error_quote(value, sizeof(value), rec->field[col], rec->len[col]);
	if (table_is_missing(rec->field[col], rec->len[col]))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" is a missing "
		    "value (see --missing)",
		    file, rec->line, col + 1, value, name);
	if (decimal_comma(rec->field[col], rec->len[col]))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" is not a number "
		    "(a decimal comma? see --decimal)",
		    file, rec->line, col + 1, value, name);
	if (status == NUM_RANGE)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" "
		    "is out of range",
		    file, rec->line, col + 1, value, name);
	if (drop_hint == TABLE_CELL_TARGET &&
	    is_text(rec->field[col], rec->len[col]))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" is not a number "
		    "%s",
		    file, rec->line, col + 1, value, name, TABLE_TEXT_TARGET);
	if (drop_hint == TABLE_CELL_FEATURE &&
	    is_text(rec->field[col], rec->len[col]))
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: \"%s\" in column \"%s\" is not a number "
		    "(a text column: give it as --categorical %s, or leave it "
		    "out with --drop %s)",
		    file, rec->line, col + 1, value, name, name, name);
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: \"%s\" in column \"%s\" is not "
	    "a number%s%s%s",
	    file, rec->line, col + 1, value, name,
	    feature ? " (leave it out with --drop " : "", feature ? name : "",
	    feature ? ")" : "");
}

/* ------------------------------------------------------------------------ */
/* Stage 2: the first record fixes the columns                              */
/* ------------------------------------------------------------------------ */

static int
start(struct table *t, const struct csv_record *rec, struct error *e)
{
	t->ncols = rec->nfields;
	t->colname = xcalloc(t->ncols, sizeof(*t->colname));
	t->has_nul = xcalloc(t->ncols, sizeof(*t->has_nul));
	for (size_t j = 0; j < t->ncols; j++) {
		char name[32];

		if (t->opt->header) {
			t->colname[j] = xstrdup(rec->field[j]);
			t->has_nul[j] = strlen(rec->field[j]) != rec->len[j];
			continue;
		}
		table_column_name(name, sizeof(name), j, t->ncols, 1);
		t->colname[j] = xstrdup(name);
	}
	t->started = 1;
	if (select_columns(t, e) != 0)
		return -1;
	/*
	 * Columns of plain numbers (not categorical, not class labels) csv.c
	 * converts as it tokenizes, straight from its buffer, without the copy
	 * and the second look the text would need (in a load of numbers they
	 * cost about a tenth of the time). From the next record on: this one
	 * has been tokenized.
	 */
	t->number = xcalloc(t->ncols, sizeof(*t->number));
	for (size_t k = 0; k < t->nuse; k++) {
		size_t col = t->use[k];

		if (t->cat_of[k] >= 0 ||
		    (k + 1 == t->nuse && t->opt->labels != NULL))
			continue;
		t->number[col] = 1;
	}
	t->numbers.n = t->ncols;
	t->numbers.number = t->number;
	return 0;
}

int
table_on_first(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct table *t = ctx;

	return t->started ? 0 : start(t, rec, e);
}

void
table_reset(struct table *t)
{
	for (size_t j = 0; j < t->ncols; j++)
		free(t->colname[j]);
	free(t->colname);
	free(t->has_nul);
	free(t->use);
	free(t->cat_of);
	free(t->number);
	dataset_free(t->ds);
	memset(t->ds, 0, sizeof(*t->ds));
	t->colname = NULL;
	t->has_nul = NULL;
	t->use = NULL;
	t->cat_of = NULL;
	t->number = NULL;
	t->numbers.n = 0;
	t->numbers.number = NULL;
	t->ncols = t->nuse = 0;
	t->started = 0;
}

struct csv_options
table_csv_options(const struct table *t)
{
	struct csv_options copt = { .name = t->opt->name,
		.delimiter = t->opt->delimiter,
		.decimal_comma = t->opt->decimal_comma,
		.numbers = &t->numbers };

	return copt;
}

/* ------------------------------------------------------------------------ */
/* Stage 3: a record to a row of doubles                                     */
/* ------------------------------------------------------------------------ */

/*
 * The text cell of used column k that is categorical, or the class label
 * (the target, with opt->labels), to its level's index in *out; a missing one
 * is an error here (the --missing policy came first).
 */
static int
text_level(struct table *t, const struct csv_record *rec, size_t k, double *out,
    struct error *e)
{
	size_t col = t->use[k];
	int missing = table_is_missing(rec->field[col], rec->len[col]);

	if (t->cat_of[k] >= 0 && missing)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: missing value in "
		    "column \"%s\" (see --missing)",
		    t->opt->name, rec->line, col + 1, t->colname[col]);
	if (t->cat_of[k] < 0 && missing)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld:%zu: missing class "
		    "label in column \"%s\" (see --missing)",
		    t->opt->name, rec->line, col + 1, t->colname[col]);
	if (t->cat_of[k] < 0)
		*out = (double)category_level(t->opt->labels, rec->field[col]);
	else
		*out = (double)category_level(&t->cat[t->cat_of[k]],
		    rec->field[col]);
	return 0;
}

/* A row weight must be finite and ≥ 0: else -1 with e naming the cell. */
static int
check_weight(const struct table *t, const struct csv_record *rec, double v,
    struct error *e)
{
	size_t col = t->use[t->weight_k];

	if (isfinite(v) && v >= 0)
		return 0;
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: the weight %g in column \"%s\" is %s; row weights "
	    "must be finite and 0 or more",
	    t->opt->name, rec->line, col + 1, v, t->colname[col],
	    isfinite(v) ? "negative" : "not finite");
}

/*
 * With opt->counts, the target y of rec: 0, or -1 with e filled (EXIT_INPUT)
 * naming the cell when it is negative, or fractional for TABLE_COUNTS.
 */
static int
check_count(const struct table *t, const struct csv_record *rec, double y,
    struct error *e)
{
	size_t col = t->use[t->nuse - 1];
	int rates = t->opt->counts == TABLE_RATES;

	if (t->opt->counts == 0 || (y >= 0 && (rates || y == floor(y))))
		return 0;
	return error_set(e, EXIT_INPUT,
	    "%s:%ld:%zu: target \"%s\" is %.17g; -l poisson needs %s "
	    "(%s)",
	    t->opt->name, rec->line, col + 1, t->colname[col], y,
	    rates ? "values >= 0" : "counts, whole numbers >= 0",
	    rates ? "a rate is a count over a non-negative exposure"
		  : "rates: --allow-fractional; a count over an exposure: "
		    "the count with --exposure");
}

/*
 * The used cells of rec into row (nuse values, target last): the numbers
 * csv.c converted as they are; of the cells left as text, a missing one as
 * opt->missing says, a categorical one or a class label as its level, any
 * other converted here, to name what is wrong with it. Returns 0, 1 when the
 * row is left out for a missing value, or -1 with e filled.
 */
static int
record_to_row(struct table *t, const struct csv_record *rec, double *row,
    struct error *e)
{
	for (size_t k = 0; k < t->nuse; k++) {
		size_t col = t->use[k];
		int target = k + 1 == t->nuse;

		if (rec->field[col] == NULL) {
			row[k] = rec->value[col];
			continue;
		}
		if (t->opt->missing != MISSING_ERROR &&
		    table_is_missing(rec->field[col], rec->len[col])) {
			if (t->opt->missing == MISSING_DROP || target ||
			    (long)k == t->weight_k)
				return 1;
			row[k] = (double)NAN;
			continue;
		}
		if (t->cat_of[k] >= 0 || (target && t->opt->labels != NULL)) {
			if (text_level(t, rec, k, &row[k], e))
				return -1;
		} else if (table_cell(t->opt->name, rec, col, t->colname[col],
			       target ? TABLE_CELL_TARGET
				   : (long)k == t->weight_k
				   ? TABLE_CELL_PLAIN
				   : TABLE_CELL_FEATURE,
			       &row[k], e))
			return -1;
	}
	if (t->weight_k >= 0 && check_weight(t, rec, row[t->weight_k], e) != 0)
		return -1;
	return check_count(t, rec, row[t->nuse - 1], e);
}

int
table_on_record(void *ctx, const struct csv_record *rec, struct error *e)
{
	struct table *t = ctx;
	double *row;
	int status;

	if (!t->started) {
		if (start(t, rec, e))
			return -1;
		if (t->opt->header)
			return 0;
	}
	if (table_check_width(t->opt->name, rec, t->ncols, e))
		return -1;
	if ((row = dataset_add_row(t->ds)) == NULL)
		return error_set(e, EXIT_INPUT,
		    "%s:%ld: out of memory while "
		    "reading row %zu",
		    t->opt->name, rec->line, t->ds->n + 1);
	if ((status = record_to_row(t, rec, row, e)) != 0) {
		if (status < 0)
			return -1;
		t->ds->n--; /* take back the row */
		t->dropped++;
		return 0;
	}
	if (t->opt->row_sink != NULL) {
		t->ds->n--; /* the row goes to the sink, not the dataset */
		t->sunk++;
		return t->opt->row_sink(t->opt->row_sink_ctx, row, e);
	}
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Stage 4 and the choice of reader                                          */
/* ------------------------------------------------------------------------ */

void
table_on_block(void *ctx, const char *bytes, size_t len)
{
	struct table *t = ctx;

	(void)bytes;
	t->bytes += len;
	t->opt->progress(t->opt->progress_ctx, t->bytes,
	    t->ds->n + t->sunk + t->dropped);
}

/*
 * Each thread that allocates gets a malloc arena of its own, which reserves
 * 64 MB of address space (glibc); under a limit, that space is better left to
 * the data, and to one thread that can say which row did not fit.
 */
int
table_address_space_limited(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
}

#define NA_MAX 64
#define NA_LEN 32

static struct {
	int set;
	size_t n;
	size_t len[NA_MAX];
	char word[NA_MAX][NA_LEN + 1];
} na;

static pthread_once_t na_once = PTHREAD_ONCE_INIT;

int
table_na_values(const char *list, struct error *e)
{
	const char *s = list != NULL ? list : TABLE_NA_DEFAULT;

	na.n = 0;
	na.set = 1;
	while (*s != '\0') {
		size_t len = strcspn(s, ",");

		if (na.n == NA_MAX)
			return error_set(e, EXIT_USAGE,
			    "--na-values: more than %d words", NA_MAX);
		if (len > NA_LEN)
			return error_set(e, EXIT_USAGE,
			    "--na-values: \"%.*s\" is longer than %d bytes",
			    (int)len, s, NA_LEN);
		if (len > 0) {
			memcpy(na.word[na.n], s, len);
			na.word[na.n][len] = '\0';
			na.len[na.n++] = len;
		}
		s += len + (s[len] == ',');
	}
	return 0;
}

/* The default list, for a reader that was not given one. */
static void
na_default(void)
{
	table_na_values(NULL, NULL);
}

int
table_is_missing(const char *s, size_t len)
{
	if (len == 0)
		return 1;
	if (!na.set)
		pthread_once(&na_once, na_default);
	for (size_t k = 0; k < na.n; k++)
		if (na.len[k] == len && memcmp(na.word[k], s, len) == 0)
			return 1;
	return 0;
}

/*
 * The row weights, read as the last feature, out of the rows into ds->rw: the
 * rows close up to d − 1 features (in place, each row moving down), and the
 * column's name goes.
 */
static void
take_weights(struct dataset *ds)
{
	size_t d = ds->d, w = d - 1;

	ds->rw = xcalloc(ds->n ? ds->n : 1, sizeof(double));
	for (size_t i = 0; i < ds->n; i++) {
		const double *from = ds->x + i * (d + 1);
		double *to = ds->x + i * d;

		ds->rw[i] = from[w];
		memmove(to, from, w * sizeof(double));
		to[w] = from[d];
	}
	free(ds->names[w]);
	ds->names[w] = ds->names[d];
	ds->names[d] = NULL;
	ds->d = w;
	dataset_weigh(ds);
}

int
table_read(int fd, const struct table_options *opt, struct dataset *ds,
    struct error *e)
{
	struct table t = { .opt = opt, .ds = ds };
	struct csv_options copt = table_csv_options(&t);
	struct csv_watch watch = { .block = table_on_block, .ctx = &t };
	size_t rows;
	int status;

	memset(ds, 0, sizeof(*ds));
	if (opt->labels != NULL)
		category_init(opt->labels, "", 0);
	/* The first reader that can read this input; the last can read any. */
	if (opt->range != NULL)
		status = table_read_one_range(fd, &t, e);
	else if ((status = table_read_file_threads(fd, &t, e)) == 1 &&
	    (status = table_read_stream_threads(fd, &t, e)) == 1)
		status = csv_read_watched(fd, &copt,
		    opt->progress ? &watch : NULL, table_on_record, &t, e);
	rows = ds->n + t.sunk;
	if (status == 0 && !t.started)
		status = error_set(e, EXIT_INPUT, "%s: empty input", opt->name);
	else if (opt->range != NULL)
		; /* the caller counts the rows of all ranges */
	else if (status == 0 && rows == 0 && t.dropped > 0)
		status = error_set(e, EXIT_INPUT,
		    "%s: no data rows left after leaving "
		    "out %zu with missing values",
		    opt->name, t.dropped);
	else if (status == 0 && rows == 0)
		status =
		    error_set(e, EXIT_INPUT, "%s: no data rows", opt->name);
	else if (status == 0 && rows == 1)
		status = error_set(e, EXIT_INPUT,
		    "%s: only 1 data row; at least 2 "
		    "are needed",
		    opt->name);
	if (status == 0 && t.weight_k >= 0)
		take_weights(ds);
	if (status == 0 && opt->labels != NULL)
		category_sort_labels(opt->labels, ds);
	if (status == 0 && t.ncat > 0)
		category_expand(ds, t.cat, t.ncat);
	if (opt->dropped != NULL)
		*opt->dropped = t.dropped;
	if (opt->categories != NULL && status == 0) {
		*opt->categories = t.cat;
		*opt->ncategories = t.ncat;
		t.cat = NULL;
	}
	for (size_t c = 0; t.cat != NULL && c < t.ncat; c++)
		category_free(&t.cat[c]);
	free(t.cat);
	free(t.cat_of);
	free(t.number);
	for (size_t j = 0; j < t.ncols; j++)
		free(t.colname[j]);
	free(t.colname);
	free(t.has_nul);
	free(t.use);
	if (status && opt->labels != NULL)
		category_free(opt->labels);
	if (status)
		dataset_free(ds);
	return status;
}
