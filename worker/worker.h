/*
 * worker.h — erpsync-worker: one job, one ERP grid, one SQLite database.
 */
#ifndef WORKER_H
#define WORKER_H

#include <stddef.h>
#include <stdint.h>

#include "common/common.h"

/* Worker exit codes (documented in erpsync-worker usage and README). */
#define WK_EXIT_OK		0
#define WK_EXIT_PERMANENT	100	/* auth, contract, protocol: retrying won't help */
#define WK_EXIT_TEMPORARY	111	/* erp, busy, storage: retry later */

/* value.c: cell values of contract §5 */
enum col_type {
	COL_TEXT = 0,
	COL_INT,
	COL_DECIMAL,
	COL_DATE,
	COL_DATETIME,
	COL_BOOL,
	COL_IMAGE
};

enum value_kind { VAL_NULL = 0, VAL_INT, VAL_REAL, VAL_TEXT };

struct value {
	enum value_kind	 kind;
	int64_t		 i;
	double		 r;
	char		*s;		/* owned, VAL_TEXT only */
};

struct grid_cell;

const char	*col_type_name(enum col_type);
int		 value_parse(enum col_type, const struct grid_cell *,
		    const char *origin, struct value *, char *err, size_t errlen);
void		 value_clear(struct value *);
int		 parse_it_int(const char *, int64_t *);
int		 parse_it_decimal(const char *, double *);
int		 parse_it_date(const char *, char *out, size_t outlen);
int		 parse_it_datetime(const char *, char *out, size_t outlen);
int		 format_it_datetime(const char *iso, char *out, size_t outlen);
int		 url_origin(const char *url, char *out, size_t outlen);

/* grid.c: the grid control of contract §4 */
struct grid_cell {
	char		*text;		/* normalized: entities decoded, <br> and
					   whitespace runs as one space, trimmed */
	int		 checkbox;	/* -1 none, 0 unchecked, 1 checked */
	char		*img_src;	/* first img's src, or NULL */
};

struct grid_column {
	char		*caption;	/* trimmed header text */
	char		*fieldname;
	int		 sort;		/* 0 none, 1 ascending, -1 descending */
	size_t		 index;		/* position among the header row's tds */
};

struct grid_row {
	char			*id;	/* the tr's id */
	struct grid_cell	*cells;	/* one per header td, by position */
	size_t			 ncells;
};

struct grid {
	char			*grid_id;
	char			*filter_key;	/* NULL when the grid has no filter */
	char			*filter_caption;
	int64_t			 page;		/* 1-based, from the pager */
	int64_t			 pages;
	int64_t			 total;		/* elements the pager reports */
	int			 has_pager;
	int			 next_disabled;
	int			 empty;		/* _DXEmptyRow present */
	struct grid_column	*cols;		/* data columns (with fieldname) */
	size_t			 ncols;
	size_t			 nheader;	/* header row's direct tds */
	struct grid_row		*rows;
	size_t			 nrows;
};

int		 grid_parse(const char *html, size_t len, struct grid *,
		    char *err, size_t errlen);
void		 grid_free(struct grid *);
const struct grid_column *grid_column(const struct grid *, const char *caption);

/* form.c: the login form and a page's hidden inputs */
struct form_field {
	char	*name;
	char	*value;
};

struct form {
	struct form_field	*fields;	/* hidden inputs, in page order */
	size_t			 nfields;
	char			*user_field;	/* name ending in UserName_Edit */
	char			*password_field; /* name ending in Password_Edit */
	char			*submit_field;	/* name ending in LogonButton */
	char			*submit_value;
	char			*error_text;	/* LogonErrorText, or NULL */
};

int		 form_parse(const char *html, size_t len, struct form *,
		    char *err, size_t errlen);
void		 form_free(struct form *);
const char	*form_get(const struct form *, const char *name);

#endif /* WORKER_H */
