/*
 * check_ctl_print.c — erpsyncctl prints strings from the supervisor (ERP
 * text, log lines, user ids) without their control characters: C0, DEL and
 * C1 become visible escapes in text, \u escapes in JSON; other UTF-8 stays.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/testutil.h"
#include "supervisor/ctl.h"

static char *
san(const char *s, size_t n, size_t len)
{
	static char	 out[1024];

	ck_assert_uint_le(len, sizeof out);
	return ctl_sanitize(s, n, out, len);
}

#define SAN(s)	san(s, sizeof(s) - 1, 1024)

START_TEST(test_text_controls)
{
	/* a colour, a title change and a clear screen */
	ck_assert_str_eq(SAN("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
	ck_assert_str_eq(SAN("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
	/* no exception in C0: newline, tab, CR, NUL too */
	ck_assert_str_eq(SAN("a\nb\tc\rd"), "a\\x0ab\\x09c\\x0dd");
	ck_assert_str_eq(SAN("a\0b"), "a\\x00b");
	ck_assert_str_eq(SAN("\x01\x1f"), "\\x01\\x1f");
	ck_assert_str_eq(SAN("del\x7f"), "del\\x7f");
	/* C1 as UTF-8: CSI (U+009B) and NEL (U+0085), first and last */
	ck_assert_str_eq(SAN("\xc2\x9b" "31m"), "\\u009b31m");
	ck_assert_str_eq(SAN("\xc2\x80\xc2\x85\xc2\x9f"),
	    "\\u0080\\u0085\\u009f");
}
END_TEST

START_TEST(test_text_utf8_kept)
{
	/* plain text, Italian, NBSP (U+00A0: not C1), euro, emoji */
	ck_assert_str_eq(SAN("Rossi & Figli S.r.l."), "Rossi & Figli S.r.l.");
	ck_assert_str_eq(SAN("Società Cooperativa"), "Società Cooperativa");
	ck_assert_str_eq(SAN("1\xc2\xa0" "234,56 \xe2\x82\xac"),
	    "1\xc2\xa0" "234,56 \xe2\x82\xac");
	ck_assert_str_eq(SAN("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
	ck_assert_str_eq(SAN("back\\slash"), "back\\slash");
	ck_assert_str_eq(SAN(""), "");
}
END_TEST

START_TEST(test_text_bad_utf8)
{
	/* stray bytes, overlong, surrogate, above U+10FFFF, cut short */
	ck_assert_str_eq(SAN("\xff"), "\\xff");
	ck_assert_str_eq(SAN("a\x80" "b"), "a\\x80b");
	ck_assert_str_eq(SAN("\xc0\xaf"), "\\xc0\\xaf");
	ck_assert_str_eq(SAN("\xc1\x9b"), "\\xc1\\x9b");	/* overlong CSI */
	ck_assert_str_eq(SAN("\xe0\x80\x9b"), "\\xe0\\x80\\x9b");
	ck_assert_str_eq(SAN("\xed\xa0\x80"), "\\xed\\xa0\\x80");
	ck_assert_str_eq(SAN("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
	ck_assert_str_eq(SAN("x\xe2\x82"), "x\\xe2\\x82");
	ck_assert_str_eq(SAN("\xc2"), "\\xc2");
}
END_TEST

START_TEST(test_text_truncation)
{
	/* room for "ab" and nothing of the escape: never half of one */
	ck_assert_str_eq(san("ab\x1b", 3, 5), "ab");
	ck_assert_str_eq(san("ab\x1b", 3, 7), "ab\\x1b");
	/* never half a character */
	ck_assert_str_eq(san("a\xe2\x82\xac", 4, 4), "a");
	ck_assert_str_eq(san("a\xe2\x82\xac", 4, 5), "a\xe2\x82\xac");
	ck_assert_str_eq(san("\xc2\x9b", 2, 6), "");
	ck_assert_str_eq(san("xyz", 3, 1), "");
}
END_TEST

/* Unpack a map {key: value} with value a raw string of n bytes. */
static msgpack_object
one_map(msgpack_sbuffer *sb, msgpack_unpacked *un, const char *key,
    const char *val, size_t n)
{
	msgpack_packer	 pk;

	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, strlen(key));
	msgpack_pack_str_body(&pk, key, strlen(key));
	msgpack_pack_str(&pk, n);
	msgpack_pack_str_body(&pk, val, n);
	msgpack_unpacked_init(un);
	ck_assert_int_eq(msgpack_unpack_next(un, sb->data, sb->size, NULL),
	    MSGPACK_UNPACK_SUCCESS);
	return un->data;
}

/* Every string field a command prints goes through ctl_str. */
START_TEST(test_ctl_str)
{
	static const char	 v[] = "job failed: \x1b[2J\xc2\x9b" "1;1H\x7f";
	msgpack_sbuffer		 sb;
	msgpack_unpacked	 un;
	msgpack_object		 o;
	char			 buf[128];

	o = one_map(&sb, &un, "message", v, sizeof v - 1);
	ck_assert_str_eq(ctl_str(&o, "message", buf, sizeof buf),
	    "job failed: \\x1b[2J\\u009b1;1H\\x7f");
	ck_assert_str_eq(ctl_str(&o, "missing", buf, sizeof buf), "");
	msgpack_unpacked_destroy(&un);
	msgpack_sbuffer_destroy(&sb);
}
END_TEST

/* Is s (n bytes) valid UTF-8 with no raw control characters at all? */
static int
clean_utf8(const char *s, size_t n)
{
	char	 out[4096];

	/* the text sanitizer changes exactly such bytes, so compare */
	ck_assert_uint_lt(n, sizeof out);
	ctl_sanitize(s, n, out, sizeof out);
	return strlen(out) == n && memcmp(out, s, n) == 0;
}

START_TEST(test_json)
{
	static const char	 v[] = "a\x1b[31m\n\x7f\xc2\x9b\xff\"\\ é\xc2\xa0"
	    "\xe2\x82\xac";
	msgpack_sbuffer		 sb;
	msgpack_unpacked	 un;
	msgpack_object		 o;
	struct buf		 json, safe;

	o = one_map(&sb, &un, "msg", v, sizeof v - 1);
	buf_init(&json);
	buf_init(&safe);
	msgpack_to_json(&json, &o);
	ctl_json_sanitize(json.data, json.len, &safe);
	buf_addc(&safe, '\0');
	ck_assert_str_eq(safe.data, "{\"msg\":\"a\\u001b[31m\\n\\u007f\\u009b"
	    "\\ufffd\\\"\\\\ é\xc2\xa0\xe2\x82\xac\"}");
	ck_assert(clean_utf8(safe.data, safe.len - 1));
	buf_free(&json);
	buf_free(&safe);
	msgpack_unpacked_destroy(&un);
	msgpack_sbuffer_destroy(&sb);

	/* JSON without anything to escape comes out the same */
	buf_init(&safe);
	ctl_json_sanitize("{\"a\":[1,\"b\"]}", 13, &safe);
	ck_assert_uint_eq(safe.len, 13);
	ck_assert(memcmp(safe.data, "{\"a\":[1,\"b\"]}", 13) == 0);
	buf_free(&safe);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("ctl_print");

	test_case(s, "sanitize", test_text_controls, test_text_utf8_kept,
	    test_text_bad_utf8, test_text_truncation, test_ctl_str, test_json,
	    NULL);
	return test_run(s);
}
