/*
 * check_json.c — unit tests for proto/json.c, msgpack_to_json: nesting,
 * every msgpack type, values JSON cannot hold, whole messages; and for the
 * one JSON string escaper it and common/log.c share (common/jsonesc.c).
 * Fixtures: protofix.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "tests/unit/testutil.h"
#include "tests/unit/protofix.h"

/* ---------------------------------------------------------------------- */
/* JSON. */

/* The frame f (ended and freed here) printed as JSON must be want. */
static void
frame_json_is(struct frame *f, const char *want)
{
	struct frame_reader	 fr;
	const msgpack_object	*o;
	struct buf		 js;

	frame_reader_init(&fr);
	o = pf_read_frame(f, &fr);
	buf_init(&js);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data, want);
	ck_assert_uint_eq(js.len, strlen(js.data));
	buf_free(&js);
	frame_reader_free(&fr);
}

START_TEST(test_json_nested)
{
	struct frame	 f;

	msg_resp_begin(&f, 7, 1);
	msgpack_pack_map(&f.pk, 7);
	pk_kv_str(&f.pk, "q", "say \"hi\" \\ /");
	pk_kv_str(&f.pk, "ctl", "\n\r\t\b\x01\x1f\x7f");
	pk_kv_str(&f.pk, "uni", "h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80");
	pk_key(&f.pk, "list");
	msgpack_pack_array(&f.pk, 7);
	msgpack_pack_int64(&f.pk, 1);
	msgpack_pack_int64(&f.pk, -2);
	msgpack_pack_nil(&f.pk);
	msgpack_pack_false(&f.pk);
	msgpack_pack_double(&f.pk, 1.5);
	msgpack_pack_uint64(&f.pk, UINT64_MAX);
	msgpack_pack_int64(&f.pk, INT64_MIN);
	pk_key(&f.pk, "empty");
	msgpack_pack_map(&f.pk, 0);
	pk_key(&f.pk, "arr");
	msgpack_pack_array(&f.pk, 0);
	pk_key(&f.pk, "deep");
	msgpack_pack_map(&f.pk, 1);
	pk_key(&f.pk, "a");
	msgpack_pack_map(&f.pk, 1);
	pk_key(&f.pk, "b");
	msgpack_pack_array(&f.pk, 1);
	msgpack_pack_map(&f.pk, 1);
	pk_kv_str(&f.pk, "c\"k", "d");
	frame_json_is(&f,
	    "{\"t\":\"resp\",\"id\":7,\"ok\":true,\"data\":{"
	    "\"q\":\"say \\\"hi\\\" \\\\ /\","
	    "\"ctl\":\"\\n\\r\\t\\u0008\\u0001\\u001f\x7f\","
	    "\"uni\":\"h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80\","
	    "\"list\":[1,-2,null,false,1.5,18446744073709551615,"
	    "-9223372036854775808],"
	    "\"empty\":{},"
	    "\"arr\":[],"
	    "\"deep\":{\"a\":{\"b\":[{\"c\\\"k\":\"d\"}]}}}}");
}
END_TEST

/* Values JSON cannot hold: non-finite floats, binary, ext, odd keys, NUL. */
START_TEST(test_json_odd_values)
{
	struct frame_reader	 fr;
	struct mp		 m;
	const msgpack_object	*o;
	struct buf		 js;

	pf_mp_init(&m);
	msgpack_pack_map(&m.pk, 2);
	pk_key(&m.pk, "v");
	msgpack_pack_array(&m.pk, 11);
	msgpack_pack_double(&m.pk, NAN);
	msgpack_pack_double(&m.pk, INFINITY);
	msgpack_pack_double(&m.pk, -INFINITY);
	msgpack_pack_float(&m.pk, 0.5f);
	msgpack_pack_bin(&m.pk, 2);
	msgpack_pack_bin_body(&m.pk, "ab", 2);
	msgpack_pack_ext(&m.pk, 1, 5);
	msgpack_pack_ext_body(&m.pk, "z", 1);
	msgpack_pack_map(&m.pk, 2);
	msgpack_pack_int64(&m.pk, 1);
	pk_str(&m.pk, "x");
	msgpack_pack_nil(&m.pk);
	msgpack_pack_true(&m.pk);
	msgpack_pack_str(&m.pk, 3);
	msgpack_pack_str_body(&m.pk, "a\0b", 3);
	msgpack_pack_int64(&m.pk, -1);
	msgpack_pack_int64(&m.pk, 0);
	msgpack_pack_double(&m.pk, 0.1);
	pk_kv_str(&m.pk, "", "");

	frame_reader_init(&fr);
	o = pf_read_payload(&fr, m.sb.data, m.sb.size);
	buf_init(&js);
	buf_adds(&js, "x=");	/* appends, does not reset */
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data,
	    "x={\"v\":[null,null,null,0.5,null,null,{\"?\":\"x\",\"?\":true},"
	    "\"a\\u0000b\",-1,0,0.10000000000000001],\"\":\"\"}");
	buf_free(&js);
	frame_reader_free(&fr);
	pf_mp_free(&m);
}
END_TEST

/* A whole message as it would be printed: key order is pack order. */
START_TEST(test_json_message)
{
	struct frame	 f;

	pf_pack_sample(MSG_PROGRESS, &f);
	frame_json_is(&f,
	    "{\"t\":\"progress\",\"job\":77,\"user\":\"bob\",\"kind\":\"orders\","
	    "\"page\":3,\"pages\":40,\"seen\":1500,\"inserted\":10,"
	    "\"updated\":20,\"unchanged\":1465,\"skipped\":5,\"total\":20000}");
	msg_empty_pack(&f, MSG_HEARTBEAT);
	frame_json_is(&f, "{\"t\":\"heartbeat\"}");
}
END_TEST

/* ---------------------------------------------------------------------- */
/* The escaper (common/jsonesc.c), alone and as the log lines use it. */

/* json_escape of n bytes of s, whole, as a string (static buffer). */
static const char *
esc(const char *s, size_t n)
{
	static char	 out[512];
	size_t		 need;

	need = json_escape(out, sizeof out, s, n);
	ck_assert_uint_lt(need, sizeof out);
	ck_assert_uint_eq(strlen(out), need);
	return out;
}

/* Every byte below 0x20: \n \r \t by name, the others as \u00XX. */
START_TEST(test_escape_controls)
{
	char	 in[1], want[8];
	int	 c;

	for (c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		if (c == '\n')
			snprintf(want, sizeof want, "\\n");
		else if (c == '\r')
			snprintf(want, sizeof want, "\\r");
		else if (c == '\t')
			snprintf(want, sizeof want, "\\t");
		else
			snprintf(want, sizeof want, "\\u%04x", c);
		ck_assert_str_eq(esc(in, 1), want);
	}
	ck_assert_str_eq(esc("\b\f", 2), "\\u0008\\u000c");
	/* A NUL inside the n bytes is escaped, not an end. */
	ck_assert_str_eq(esc("a\0b", 3), "a\\u0000b");
	ck_assert_str_eq(esc("", 0), "");
}
END_TEST

/* Quotes and backslashes get a backslash; '/' and DEL stay as they are. */
START_TEST(test_escape_quotes)
{
	ck_assert_str_eq(esc("say \"hi\"", 8), "say \\\"hi\\\"");
	ck_assert_str_eq(esc("C:\\dir\\", 7), "C:\\\\dir\\\\");
	ck_assert_str_eq(esc("\\\"", 2), "\\\\\\\"");
	ck_assert_str_eq(esc("a/b\x7f", 4), "a/b\x7f");
	ck_assert_str_eq(esc("'<>&=", 5), "'<>&=");
}
END_TEST

/* UTF-8 passes through, and so do bytes that are not UTF-8 (as today). */
START_TEST(test_escape_utf8)
{
	static const char *same[] = {
		"h\xc3\xa9llo",			/* é */
		"\xe2\x98\x83 \xe2\x82\xac",	/* snowman, euro */
		"\xf0\x9f\x98\x80",		/* 4-byte emoji */
		"\xc2\x85\xc2\x9f",		/* C1 controls, as UTF-8 */
		"\xff\xfe",			/* never UTF-8 */
		"\xc3",				/* a lead byte alone */
		"\xc3(",			/* a bad continuation */
		"\xc0\xaf",			/* overlong '/' */
		"\xed\xa0\x80",			/* a surrogate */
		"\x80\xbf",			/* continuation bytes alone */
	};
	size_t	 i;

	for (i = 0; i < nitems(same); i++)
		ck_assert_str_eq(esc(same[i], strlen(same[i])), same[i]);
	ck_assert_str_eq(esc("\xff\n\xc3\xa9", 4), "\xff\\n\xc3\xa9");
}
END_TEST

/* Like snprintf: cut to the buffer, NUL-terminated, the whole length returned. */
START_TEST(test_escape_small_buffer)
{
	struct {
		char	 out[6];
		char	 canary[8];
	} b;
	struct buf	 bb;
	size_t		 i;

	memset(&b, 'C', sizeof b);
	ck_assert_uint_eq(json_escape(b.out, sizeof b.out, "a\"\x01z", 4), 10);
	ck_assert_str_eq(b.out, "a\\\"\\u");
	for (i = 0; i < sizeof b.canary; i++)
		ck_assert_int_eq(b.canary[i], 'C');
	ck_assert_uint_eq(json_escape(b.out, 1, "abc", 3), 3);
	ck_assert_str_eq(b.out, "");
	ck_assert_uint_eq(json_escape(NULL, 0, "\t\t", 2), 4);

	/* buf_add_json appends, and its length is the escape's. */
	buf_init(&bb);
	buf_adds(&bb, "x=");
	buf_add_json(&bb, "q\"\x1f\xc3\xa9", 5);
	ck_assert_str_eq(bb.data, "x=q\\\"\\u001f\xc3\xa9");
	ck_assert_uint_eq(bb.len, strlen(bb.data));
	buf_free(&bb);
}
END_TEST

/* log_event_format() writes ev as fmt to be want, and says its length. */
static void
check_line(const struct log_event *ev, enum log_format fmt, const char *want)
{
	char	 line[512];
	size_t	 n;

	n = log_event_format(ev, fmt, line, sizeof line);
	ck_assert_str_eq(line, want);
	ck_assert_uint_eq(n, strlen(want));
}

/* log.c escapes with the same function: JSON lines and quoted logfmt values. */
START_TEST(test_escape_in_log_lines)
{
	struct log_event	 ev;
	char			 line[512], ts[40], want[512];

	memset(&ev, 0, sizeof ev);
	ev.ts_ms = 1700000000123LL;
	ev.level = LOG_WARN;
	ev.proc = "worker";
	ev.user = "al\"ice";
	ev.msg = "row \"7\"\tC:\\x\n\x01 h\xc3\xa9 \xff";
	iso8601_utc(ev.ts_ms, ts, sizeof ts);

	snprintf(want, sizeof want, "{\"ts\":\"%s\",\"level\":\"warn\","
	    "\"proc\":\"worker\",\"user\":\"al\\\"ice\",\"msg\":\"row "
	    "\\\"7\\\"\\tC:\\\\x\\n\\u0001 h\xc3\xa9 \xff\"}", ts);
	check_line(&ev, LOG_JSON, want);

	snprintf(want, sizeof want, "ts=%s level=warn proc=worker "
	    "user=\"al\\\"ice\" msg=\"row \\\"7\\\"\\tC:\\\\x\\n\\u0001 "
	    "h\xc3\xa9 \xff\"", ts);
	check_line(&ev, LOG_LOGFMT, want);

	/* Cut short: the length it needs, and a terminated prefix. */
	memset(line, 'C', sizeof line);
	ck_assert_uint_eq(log_event_format(&ev, LOG_LOGFMT, line, 20),
	    strlen(want));
	ck_assert_uint_eq(strlen(line), 19);
	ck_assert(strncmp(line, want, 19) == 0);
	ck_assert_int_eq(line[20], 'C');
}
END_TEST

/* ---------------------------------------------------------------------- */

int
main(void)
{
	Suite	*s = suite_create("json");

	test_case(s, "json", test_json_nested, test_json_odd_values,
	    test_json_message, NULL);
	test_case(s, "escape", test_escape_controls, test_escape_quotes,
	    test_escape_utf8, test_escape_small_buffer,
	    test_escape_in_log_lines, NULL);
	return test_run(s);
}
