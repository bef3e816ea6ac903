/*
 * category.h: text columns as categories. While the input is read, each cell of
 * a categorical column is stored as the index of its level (in order of first
 * appearance); afterwards the column is replaced by one 0/1 indicator column
 * per level, levels sorted, the first one left out as the reference that the
 * intercept stands for. The indicators are named "column=level".
 */
#ifndef DESCEND_CATEGORY_H
#define DESCEND_CATEGORY_H

#include <stddef.h>

#include "dataset.h"

struct category {
	char *name;	/* the column's name */
	size_t feature; /* its index among the features as read */
	char **level;	/* (nlevels) as met; sorted by category_expand */
	size_t nlevels, cap;
	size_t first; /* after category_expand: the feature index of the
			 indicator of level[1] */
};

/* A category for the column named name, feature feature, with no levels yet. */
void category_init(struct category *c, const char *name, size_t feature);

/* The index of the level text, added if it is new. */
size_t category_level(struct category *c, const char *text);

/*
 * Replace the categorical features of ds (cats, ncats of them, in increasing
 * feature order, holding level indices or NaN for a missing cell) by their
 * indicator columns, in place of the column. A missing cell gives NaN
 * indicators. Sorts each category's levels and sets its first.
 */
void category_expand(struct dataset *ds, struct category *cats, size_t ncats);

/*
 * For a class target read as levels (the target of ds holding each row's level
 * index as met): sort the levels, in numeric order when every one is a number
 * ("2" before "10"), else in byte order, rewrite the target to the sorted
 * indices, and set ds->classes.
 */
void category_sort_labels(struct category *c, struct dataset *ds);

/* The index of level text in c, or (size_t)-1. */
size_t category_find(const struct category *c, const char *text);

void category_free(struct category *c);

#endif
