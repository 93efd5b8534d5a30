/*
 * check_form.c — form_parse() (worker/form.c on gridsax.c's SAX pass) on
 * login pages (with and without an error message), on view pages and on
 * hostile input, each also against the reference walk of libxml2's tree
 * (tests/unit/formref.c). Run from the repository root.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"
#include "tests/unit/ref.h"
#include "tests/unit/testutil.h"

#define HAND	"tests/unit/golden/hand/"

/*
 * form_parse() of a page (rc, and f when 0) is what the reference, a walk
 * of libxml2's tree (tests/unit/formref.c), reads.
 */
static void
same_as_ref(const char *html, size_t len, int rc, const struct form *f,
    const char *err, const char *name)
{
	struct form	 ref;
	char		 referr[256], why[512];

	ck_assert_msg(formref_parse(html, len, &ref, referr, sizeof(referr)) ==
	    rc, "%s: form_parse() gives %d, the reference the other", name, rc);
	if (rc == -1) {
		ck_assert_msg(str_diff(err, referr, "error", why,
		    sizeof why) == 0, "%s: %s", name, why);
		return;
	}
	ck_assert_msg(form_diff(f, &ref, why, sizeof why) == 0, "%s: %s", name,
	    why);
	form_free(&ref);
}

/* form_parse(), checked against the reference; its rc. */
static int
parse_len(const char *html, size_t len, struct form *f, const char *name)
{
	char	 err[256];
	int	 rc;

	rc = form_parse(html, len, f, err, sizeof(err));
	same_as_ref(html, len, rc, f, err, name);
	return rc;
}

/* Parse a golden file; fails the test unless it parses. */
static void
parse_file(const char *path, struct form *f)
{
	char	*html;
	size_t	 len;

	html = test_slurp(path, &len);
	ck_assert_msg(parse_len(html, len, f, path) == 0, "%s: no form",
	    path);
	free(html);
}

static int
parse_str(const char *html, struct form *f)
{
	return parse_len(html, strlen(html), f, html);
}

/* The form's hidden inputs are exactly names, in page order. */
static void
check_names(const struct form *f, const char *const *names, size_t n)
{
	size_t	 i;

	ck_assert_uint_eq(f->nfields, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(f->fields[i].name, names[i]);
}

/* A page that is no login form: no login fields, and no error either. */
static void
check_no_login(const struct form *f)
{
	ck_assert_ptr_null(f->user_field);
	ck_assert_ptr_null(f->password_field);
	ck_assert_ptr_null(f->submit_field);
	ck_assert_ptr_null(f->submit_value);
	ck_assert_ptr_null(f->error_text);
}

/* The fields every hand-made login page carries, in page order. */
static void
check_login_fields(const struct form *f)
{
	static const char *names[] = {
		"__EVENTTARGET", "__EVENTARGUMENT", "__VIEWSTATE",
		"__VIEWSTATEGENERATOR", "__EVENTVALIDATION",
		"Logon$v0$MainLayoutEdit$xaf_l12$xaf_dviUserName_Edit$VI",
		"__dxLastField",
	};

	check_names(f, names, nitems(names));
	ck_assert_str_eq(form_get(f, "__EVENTTARGET"), "");
	ck_assert_str_eq(form_get(f, "__EVENTARGUMENT"), "");	/* no value= */
	ck_assert_str_eq(form_get(f, "__VIEWSTATE"), "/wEPDwULLTE2NjU5&+/=");
	ck_assert_str_eq(form_get(f, "__EVENTVALIDATION"), "/wEdAAUb1yR");
	ck_assert_str_eq(form_get(f, "__dxLastField"), "last\xc3\xa9");
	ck_assert_ptr_null(form_get(f, "FAKE"));	/* in a script */
	ck_assert_ptr_null(form_get(f, "OUTSIDE_BEFORE"));
	ck_assert_ptr_null(form_get(f, "OUTSIDE_AFTER"));
	ck_assert_ptr_null(form_get(f, "SECOND_FORM"));
	ck_assert_ptr_null(form_get(f, "__viewstate"));		/* exact name */

	ck_assert_str_eq(f->user_field,
	    "Logon$v0$MainLayoutEdit$xaf_l12$xaf_dviUserName_Edit");
	ck_assert_str_eq(f->password_field,
	    "Logon$v0$MainLayoutEdit$xaf_l17$xaf_dviPassword_Edit");
	ck_assert_str_eq(f->submit_field,
	    "Logon$PopupActions$Menu$DXI0_LogonButton");
	ck_assert_str_eq(f->submit_value, "Accedi");
}

START_TEST(test_login)
{
	struct form	 f;

	parse_file(HAND "login.html", &f);
	check_login_fields(&f);
	ck_assert_ptr_null(f.error_text);	/* there, but empty */
	form_free(&f);
	ck_assert_ptr_null(f.fields);
	form_free(&f);
}
END_TEST

/* Login pages that come back with an error: a wrong password, no session. */
static const struct {
	const char	*page;
	const char	*error;
} login_errors[] = {
	{ HAND "login_wrong.html", "Nome utente o password non validi." },
	{ HAND "login_busy.html", "Numero massimo di sessioni raggiunto." },
};

START_TEST(test_login_error)
{
	struct form	 f;

	parse_file(login_errors[_i].page, &f);
	check_login_fields(&f);
	ck_assert_str_eq(f.error_text, login_errors[_i].error);
	form_free(&f);
}
END_TEST

/* A view page: hidden inputs, no login fields, and that is no error. */
START_TEST(test_view_page)
{
	struct form	 f;

	parse_file(HAND "customers_a.html", &f);
	ck_assert_uint_eq(f.nfields, 5);
	ck_assert_str_eq(f.fields[0].name, "__EVENTTARGET");
	ck_assert_str_eq(f.fields[2].name, "__VIEWSTATE");
	ck_assert_str_eq(f.fields[3].name, "__EVENTVALIDATION");
	ck_assert_str_eq(f.fields[4].name, "Vertical$v1$LE$v2$Cb$VI");
	ck_assert_str_eq(f.fields[4].value, "xaf_xaf_a1Free_Customers");
	ck_assert_str_eq(form_get(&f, "__VIEWSTATE"), "/wEPDwUKLTU5NjA0MzY4Nw9k"
	    "FgJmD2QWAgIDD2QWBAIBDw8WAh4EVGV4dAUKQXJjaGliYWxkZGQ=");
	check_no_login(&f);
	form_free(&f);

	/* Unquoted and single-quoted attributes, upper-case markup. */
	parse_file(HAND "customers_b.html", &f);
	ck_assert_uint_eq(f.nfields, 1);
	ck_assert_str_eq(form_get(&f, "__VIEWSTATE"), "/wEPDwUKLTU5NjA0");
	/* The combo's hidden input has no name there. */
	ck_assert_ptr_null(form_get(&f, "Vertical$v1$LE$v2$Cb$VI"));
	form_free(&f);
}
END_TEST

START_TEST(test_corners)
{
	struct form	 f;

	/* No form at all (a callback body): the whole page is the scope. */
	ck_assert_int_eq(parse_str("<div><input type=hidden name=a value=1>"
	    "<input type=hidden name=b><input type=hidden value=nameless>"
	    "<input type=hidden name=''></div>", &f), 0);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_str_eq(form_get(&f, "a"), "1");
	ck_assert_str_eq(form_get(&f, "b"), "");
	form_free(&f);

	/* Duplicate names: both kept in order, form_get gives the first. */
	ck_assert_int_eq(parse_str("<form><input type=hidden name=x value=1>"
	    "<input type=hidden name=x value=2></form>", &f), 0);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_str_eq(form_get(&f, "x"), "1");
	ck_assert_str_eq(f.fields[1].value, "2");
	form_free(&f);

	/* Login fields need the right type and name suffix. */
	ck_assert_int_eq(parse_str("<form>"
	    "<input type=text name=UserName_Edit_I>"
	    "<input type=hidden name=X_Password_Edit value=h>"
	    "<input type=text name=A_Password_Edit>"
	    "<input name=B_UserName_Edit>"
	    "<input type=PASSWORD name=C_Password_Edit>"
	    "<input type=button name=D_LogonButton>"
	    "<span class='x LogonErrorText'>  </span>"
	    "<span class='LogonErrorText'> later &amp; <b>bold</b> </span>"
	    "</form>", &f), 0);
	/* An input without a type is a text input. */
	ck_assert_str_eq(f.user_field, "B_UserName_Edit");
	ck_assert_str_eq(f.password_field, "C_Password_Edit");
	ck_assert_str_eq(f.submit_field, "D_LogonButton");
	ck_assert_str_eq(f.submit_value, "");
	ck_assert_str_eq(f.error_text, "later & bold");
	ck_assert_uint_eq(f.nfields, 1);
	form_free(&f);
}
END_TEST

/* erpsim's golden pages (tests/unit/golden/README has the recipe). */
#define SIM	"tests/unit/golden/erpsim/"

START_TEST(test_sim_login)
{
	static const char *names[] = {
		"__EVENTTARGET", "__EVENTARGUMENT", "__VIEWSTATE",
		"__VIEWSTATEGENERATOR", "__EVENTVALIDATION",
		"Logon$v0_MainLayoutEdit$xaf_l12$xaf_dviUserName_Edit$State",
	};
	struct form	 f;

	parse_file(SIM "login.html", &f);
	check_names(&f, names, nitems(names));
	ck_assert_str_eq(form_get(&f, "__EVENTTARGET"), "");
	ck_assert_uint_eq(strlen(form_get(&f, "__VIEWSTATE")), 8000);
	ck_assert_str_eq(form_get(&f, "__VIEWSTATEGENERATOR"), "CA0B0334");
	ck_assert_str_eq(f.fields[5].value, "{\"rawValue\":\"\"}");
	ck_assert_str_eq(f.user_field,
	    "Logon$v0_MainLayoutEdit$xaf_l12$xaf_dviUserName_Edit");
	ck_assert_str_eq(f.password_field,
	    "Logon$v0_MainLayoutEdit$xaf_l17$xaf_dviPassword_Edit");
	ck_assert_str_eq(f.submit_field,
	    "Logon$PopupActions$Menu$xaf_a0$LogonButton");
	ck_assert_str_eq(f.submit_value, "Accedi");
	ck_assert_ptr_null(f.error_text);
	form_free(&f);
}
END_TEST

/* A view page: what a grid callback posts back, and no login fields. */
START_TEST(test_sim_view)
{
	struct form	 f;

	parse_file(SIM "customers_l0.html", &f);
	ck_assert_uint_eq(f.nfields, 7);
	ck_assert_str_eq(f.fields[0].name, "__EVENTTARGET");
	ck_assert_uint_eq(strlen(form_get(&f, "__VIEWSTATE")), 8000);
	ck_assert_ptr_nonnull(form_get(&f, "__EVENTVALIDATION"));
	ck_assert_str_eq(form_get(&f, "Vertical$v1$LE$v2$Cb$VI"),
	    "xaf_xaf_a1Free_Customers");
	ck_assert_ptr_nonnull(form_get(&f, "Vertical$v1$LE$v2$CallbackState"));
	check_no_login(&f);
	form_free(&f);

	/* A callback body has no form: its hidden inputs all the same. */
	parse_file(SIM "customers_l5_sorted_cb.html", &f);
	ck_assert_uint_eq(f.nfields, 2);
	ck_assert_str_eq(form_get(&f, "Vertical$v9$LE$v10$Cb$VI"),
	    "xaf_xaf_a0All_Customers");
	form_free(&f);
}
END_TEST

START_TEST(test_hostile)
{
	static const char *pages[] = {
		"<", "\xff\xfe\x00", "<form", "<form><input type=hidden name=",
		"<form><input type=hidden name=a value='", "</form></form>",
		"<input type=hidden name=\xc3(>",
	};
	struct form	 f;
	char		 err[64];
	size_t		 i;

	ck_assert_int_eq(form_parse(NULL, 0, &f, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "empty page");
	ck_assert_ptr_null(f.fields);
	ck_assert_int_eq(form_parse("", 0, &f, NULL, 0), -1);
	for (i = 0; i < nitems(pages); i++) {
		size_t len = strlen(pages[i]) ? strlen(pages[i]) : 3;

		if (form_parse(pages[i], len, &f, err, sizeof(err)) == 0) {
			same_as_ref(pages[i], len, 0, &f, err, pages[i]);
			form_free(&f);
		} else {
			ck_assert(err[0] != '\0');
			same_as_ref(pages[i], len, -1, &f, err, pages[i]);
		}
	}
}
END_TEST

/* Every prefix of the login page parses or fails cleanly. */
START_TEST(test_truncated)
{
	struct form	 f;
	char		 err[64];
	char		*html;
	size_t		 len, cut;

	html = test_slurp(HAND "login_wrong.html", &len);
	for (cut = 1; cut < len; cut += 5) {
		snprintf(err, sizeof(err), "login_wrong.html cut at %zu", cut);
		if (parse_len(html, cut, &f, err) == 0)
			form_free(&f);
	}
	free(html);
}
END_TEST

/*
 * Every golden page, whole and cut every 97 bytes (the large ones at 40
 * places), and corners of the error text: form_parse() reads what the
 * reference reads.
 */
START_TEST(test_reference)
{
	static const char *dirs[] = { HAND, SIM };
	static const char *pages[] = {
		"<span class=LogonErrorText>a<script>b</script>c<style>d"
		"</style> e<br>f<br/> <!-- g -->h&#32;i&nbsp;j</span>",
		"<p class=LogonErrorText><span class=LogonErrorText></span>"
		"<b class=LogonErrorText> x </b></p><i class=LogonErrorText>y",
		"<div class=LogonErrorText><br></div><div class="
		"'LogonErrorTextX'>\t two\n lines \r\f</div>",
		"<form><span class=LogonErrorText>in</span></form><input "
		"type=hidden name=out><form><input type=hidden name=second>",
		"<input type=text name=A_UserName_Edit><form><input "
		"type=password name=B_Password_Edit></form>",
		"<table><form><tr><td><input type=hidden name=a></td></tr>"
		"</form><tr><td><input type=hidden name=b></td></tr></table>",
		"<p><form><p><input type=hidden name=a></p></form><input "
		"type=hidden name=b>",
	};
	struct form	 f;
	char		**files, *html, name[300];
	size_t		 d, i, n, len, cut, step;

	for (d = 0; d < nitems(dirs); d++) {
		files = test_golden_files(dirs[d], &n);
		for (i = 0; i < n; i++) {
			html = test_slurp(files[i], &len);
			step = len < 65536 ? 97 : len / 40;
			for (cut = len; cut > 0; cut = cut > step ? cut - step : 0) {
				snprintf(name, sizeof(name), "%s cut at %zu",
				    files[i], cut);
				if (parse_len(html, cut, &f, name) == 0)
					form_free(&f);
			}
			free(html);
		}
		test_free_files(files, n);
	}
	for (i = 0; i < nitems(pages); i++)
		if (parse_str(pages[i], &f) == 0)
			form_free(&f);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("form");
	TCase	*tc;

	tc = test_case(s, "login", test_login, test_view_page, test_corners,
	    NULL);
	tcase_add_loop_test(tc, test_login_error, 0, nitems(login_errors));
	test_case(s, "erpsim", test_sim_login, test_sim_view, NULL);
	tcase_set_timeout(test_case(s, "reference", test_reference, NULL), 120);
	tcase_set_timeout(test_case(s, "hostile", test_hostile, test_truncated,
	    NULL), 60);
	return test_run(s);
}
