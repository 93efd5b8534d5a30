/*
 * form.c — the login form of contract §2 and any page's hidden inputs,
 * read from gridsax.c's events (form_parse() there runs the pass). The
 * ERP wants every hidden input (view state, event validation) posted back
 * unchanged, with login and grid callbacks alike, so a page's first form
 * is read whatever the page (the whole page when it has no form): its
 * hidden inputs in page order and the login fields when present, whose
 * absence is for the caller to judge; and the text of the first
 * LogonErrorText element that has any. tests/unit/formref.c reads the
 * same out of libxml2's tree; check_form and fuzz_form compare the two.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "worker/worker.h"

struct formread {
	struct form	 f;		/* the form's inputs (error_text: below) */
	size_t		 cap;		/* of f.fields */
	size_t		 form;		/* the first form's depth while open */
	int		 have_form;

	/* The LogonErrorText element being read: depth, text so far. */
	char		*error_text;	/* the first one with text */
	size_t		 err_depth;
	struct buf	 err;
	int		 pending;	/* a blank or <br> since the last char */
};

/* A reader for one page; formread_free() it. */
struct formread *
formread_new(void)
{
	struct formread	*r;

	r = xcalloc(1, sizeof(*r));
	buf_init(&r->err);
	return r;
}

void
formread_free(struct formread *r)
{
	if (r == NULL)
		return;
	form_free(&r->f);
	free(r->error_text);
	buf_free(&r->err);
	free(r);
}

static void
add_field(struct form *f, size_t *cap, const char *name, const char *value)
{
	if (f->nfields == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		f->fields = xreallocarray(f->fields, *cap, sizeof(*f->fields));
	}
	f->fields[f->nfields].name = xstrdup(name);
	f->fields[f->nfields].value = xstrdup(value != NULL ? value : "");
	f->nfields++;
}

/*
 * One input of a form, by its name, type and value attributes (NULL when
 * absent): a hidden field, one of the login fields, or nothing. cap is
 * the room in f->fields (0 for none yet).
 */
void
form_input(struct form *f, size_t *cap, const char *name, const char *type,
    const char *value)
{
	if (name == NULL || *name == '\0')
		return;	/* a nameless input is never posted */
	if (type == NULL || *type == '\0')
		type = "text";
	if (strcasecmp(type, "hidden") == 0)
		add_field(f, cap, name, value);
	else if (strcasecmp(type, "password") == 0) {
		if (f->password_field == NULL &&
		    ends_with(name, "Password_Edit"))
			f->password_field = xstrdup(name);
	} else if (ends_with(name, "LogonButton")) {
		if (f->submit_field == NULL) {
			f->submit_field = xstrdup(name);
			f->submit_value = xstrdup(value != NULL ? value : "");
		}
	} else if (strcasecmp(type, "text") == 0) {
		if (f->user_field == NULL && ends_with(name, "UserName_Edit"))
			f->user_field = xstrdup(name);
	}
}

/* An element at depth d. */
void
formread_element(struct formread *r, size_t d, const char *name,
    const unsigned char **atts)
{
	const char	*cls;

	if (r->err_depth != 0 && strcmp(name, "br") == 0)
		r->pending = 1;		/* a line break reads as a blank */
	if (r->err_depth == 0 && r->error_text == NULL &&
	    (cls = sax_attr(atts, "class")) != NULL &&
	    strstr(cls, "LogonErrorText") != NULL) {
		r->err_depth = d;
		r->pending = 0;
	}
	if (strcmp(name, "form") == 0 && !r->have_form) {
		/* The inputs before it are outside it: never posted. */
		form_free(&r->f);
		r->cap = 0;
		r->have_form = 1;
		r->form = d;
	} else if (strcmp(name, "input") == 0 &&
	    (!r->have_form || r->form != 0))
		form_input(&r->f, &r->cap, sax_attr(atts, "name"),
		    sax_attr(atts, "type"), sax_attr(atts, "value"));
}

/*
 * Text in the element last opened (not a script's or a style's): blank
 * runs become one blank, and none leads or trails.
 */
void
formread_text(struct formread *r, const char *p, size_t n)
{
	size_t	 i;

	if (r->err_depth == 0)
		return;
	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
		    p[i] == '\n' || p[i] == '\f') {
			r->pending = 1;
			continue;
		}
		if (r->pending && r->err.len > 0)
			buf_addc(&r->err, ' ');
		r->pending = 0;
		buf_addc(&r->err, p[i]);
	}
}

/* Every element deeper than k is closed. */
void
formread_close_to(struct formread *r, size_t k)
{
	if (r->err_depth > k) {
		if (r->err.len > 0)
			r->error_text = buf_steal(&r->err);
		buf_reset(&r->err);
		r->err_depth = 0;
	}
	if (r->form > k)
		r->form = 0;
}

/* What was read, into f (for form_free()); the reader keeps nothing. */
void
formread_result(struct formread *r, struct form *f)
{
	*f = r->f;
	f->error_text = r->error_text;
	memset(&r->f, 0, sizeof(r->f));
	r->error_text = NULL;
	r->cap = 0;
}

/* Free everything a form holds, and empty it. */
void
form_free(struct form *f)
{
	size_t	 i;

	for (i = 0; i < f->nfields; i++) {
		free(f->fields[i].name);
		free(f->fields[i].value);
	}
	free(f->fields);
	free(f->user_field);
	free(f->password_field);
	free(f->submit_field);
	free(f->submit_value);
	free(f->error_text);
	memset(f, 0, sizeof(*f));
}

/* The value of the first hidden input with this name, or NULL. */
const char *
form_get(const struct form *f, const char *name)
{
	size_t	 i;

	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, name) == 0)
			return f->fields[i].value;
	return NULL;
}
