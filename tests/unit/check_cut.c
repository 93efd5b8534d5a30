/*
 * check_cut.c — worker/cut.c: a body cut anywhere by a proxy is told from a
 * whole one, for full pages and grid callbacks (regression: cut answers to
 * the login page, GB|PSP, GB|FILTER and GB|SORT ended jobs as "contract").
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "worker/worker.h"
#include "tests/unit/testutil.h"

static const char *const golden[] = {
	"tests/unit/golden/erpsim/login.html",
	"tests/unit/golden/erpsim/customers_l0.html",
	"tests/unit/golden/erpsim/customers_l3.html",
	"tests/unit/golden/erpsim/products_l0.html",
	"tests/unit/golden/erpsim/customers_empty_cb.html",
	"tests/unit/golden/erpsim/customers_l5_sorted_cb.html",
	"tests/unit/golden/erpsim/orders_reset_cb.html",
	"tests/unit/golden/erpsim/prices_last_cb.html",
	"tests/unit/golden/erpsim/customers_l11_200_cb.html",
	"tests/unit/golden/hand/customers_a.html",
};

/*
 * Every golden page is whole, and every cut of it short of its last '>'
 * is not: at every byte of the last 300, and at 2,000 places before.
 */
START_TEST(test_cut_golden_prefixes)
{
	const char	*path = golden[_i];
	char		*page;
	size_t		 len, cut, step, end;

	page = test_slurp(path, &len);
	ck_assert_msg(body_complete(page, len), "%s is whole", path);
	for (end = len; end > 0 && page[end - 1] != '>'; end--)
		;
	step = end / 2000 + 1;
	for (cut = 0; cut < end; cut += cut + 300 < end ? step : 1)
		ck_assert_msg(!body_complete(page, cut),
		    "%s cut at %zu of %zu bytes looks whole", path, cut, len);
	for (cut = end; cut <= len; cut++)
		ck_assert_msg(body_complete(page, cut),
		    "%s: %zu of %zu bytes is whole", path, cut, len);
	free(page);
}
END_TEST

static const struct {
	const char	*body;
	int		 whole;
} cases[] = {
	{ "", 0 },
	{ "   \n", 0 },
	{ "plain text", 0 },
	{ "<div class=\"dxgvControl_XafTheme\"></div>", 1 },
	{ "<div class=\"dxgvControl_XafTheme\"><div></div>", 0 },
	{ "<div><div></div></div>\n<script>var x;</script>", 1 },
	{ "<DIV><div></DIV>", 0 },
	{ "<DIV><div></div></Div >", 1 },
	{ "<div><script>document.write('<div>');</script></div>", 1 },
	{ "<div><script>var s = '</div>';</script>", 0 },
	{ "<div><!-- <div> --></div>", 1 },
	{ "<div><!-- </div> -->", 0 },
	{ "<!DOCTYPE html><html><head><title>x</title></head><body></body></html>", 1 },
	{ "<!DOCTYPE html><html><head><title>x</title></head><body></body></ht", 0 },
	{ "<!DOCTYPE html>\n<html><body><div></div></body>", 0 },
	{ "<html><body><style>p { content: \"</html>\"; }</style></body></html>", 1 },
	{ "<html><body><style>p { content: \"</html>\"; }</style></body>", 0 },
	{ "<divx><div></div></divx>", 1 },
	{ "<table><tr><td>a < b</td></tr></table>", 1 },
	{ "<table><tr><td>a < b</td></tr>", 0 },
	{ "<script>var a = 1;</script><div><p>x</p></div>", 1 },
	{ "<script>var a = 1;</script><div><p>x</p>", 0 },
	{ "<style>div{}</style>\n<html><body></body></html>", 1 },
};

START_TEST(test_cut_cases)
{
	ck_assert_msg(body_complete(cases[_i].body, strlen(cases[_i].body)) ==
	    cases[_i].whole, "\"%s\" should be %s", cases[_i].body,
	    cases[_i].whole ? "whole" : "cut");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("cut");
	TCase	*tc;

	tc = test_case(s, "cut", NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_cut_golden_prefixes, 0, nitems(golden));
	tcase_add_loop_test(tc, test_cut_cases, 0, nitems(cases));
	return test_run(s);
}
