/*
 * model.c: the weights CSV.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "csv.h"
#include "model.h"

void
model_init(struct model *m, size_t nterms, const char *const *term)
{
	m->nterms = nterms;
	m->term = xcalloc(nterms, sizeof(*m->term));
	m->weight = xcalloc(nterms, sizeof(double));
	m->std_weight = xcalloc(nterms, sizeof(double));
	for (size_t k = 0; k < nterms; k++)
		m->term[k] = xstrdup(term[k]);
}

void
model_free(struct model *m)
{
	for (size_t k = 0; k < m->nterms; k++)
		free(m->term[k]);
	free(m->term);
	free(m->weight);
	free(m->std_weight);
	memset(m, 0, sizeof(*m));
}

int
model_write(const struct model *m, FILE *f, struct error *e)
{
	fputs("term,weight,std_weight\n", f);
	for (size_t k = 0; k < m->nterms; k++) {
		csv_write_field(f, m->term[k], ',');
		fprintf(f, ",%.17g,%.17g\n", m->weight[k], m->std_weight[k]);
	}
	if (fflush(f) != 0 || ferror(f))
		return error_set(e, EXIT_INPUT, "writing the weights: %s",
		    strerror(errno ? errno : EIO));
	return 0;
}

int
model_save(const struct model *m, const char *path, struct error *e)
{
	char *tmp;
	int fd;
	FILE *f;

	if (path == NULL) {
		if (model_write(m, stdout, e) == 0)
			return 0;
		return error_set(e, EXIT_INPUT, "standard output: %s",
		    strerror(errno ? errno : EIO));
	}
	tmp = xmalloc(strlen(path) + sizeof(".XXXXXX"));
	strcpy(tmp, path);
	strcat(tmp, ".XXXXXX");
	if ((fd = mkstemp(tmp)) == -1) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	{
		/* mkstemp makes the file 0600; give it the mode a new file would get. */
		mode_t mask = umask(0);

		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		close(fd);
		goto fail;
	}
	if (model_write(m, f, e) != 0 || fsync(fd) != 0) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno ? errno : EIO));
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		error_set(e, EXIT_INPUT, "%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return -1;
}
