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

#include "tests/unit/protofix.h"

/* ---------------------------------------------------------------------- */
/* JSON. */

START_TEST(test_json_nested)
{
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	struct buf		 js;

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

	frame_reader_init(&fr);
	o = pf_read_frame(&f, &fr);
	buf_init(&js);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data,
	    "{\"t\":\"resp\",\"id\":7,\"ok\":true,\"data\":{"
	    "\"q\":\"say \\\"hi\\\" \\\\ /\","
	    "\"ctl\":\"\\n\\r\\t\\u0008\\u0001\\u001f\x7f\","
	    "\"uni\":\"h\xc3\xa9llo \xe2\x98\x83 \xf0\x9f\x98\x80\","
	    "\"list\":[1,-2,null,false,1.5,18446744073709551615,"
	    "-9223372036854775808],"
	    "\"empty\":{},"
	    "\"arr\":[],"
	    "\"deep\":{\"a\":{\"b\":[{\"c\\\"k\":\"d\"}]}}}}");
	ck_assert_uint_eq(js.len, strlen(js.data));
	buf_free(&js);
	frame_reader_free(&fr);
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
	struct frame_reader	 fr;
	struct frame		 f;
	const msgpack_object	*o;
	struct buf		 js;

	frame_reader_init(&fr);
	pf_pack_sample(MSG_PROGRESS, &f);
	o = pf_read_frame(&f, &fr);
	buf_init(&js);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data,
	    "{\"t\":\"progress\",\"job\":77,\"user\":\"bob\",\"kind\":\"orders\","
	    "\"page\":3,\"pages\":40,\"seen\":1500,\"inserted\":10,"
	    "\"updated\":20,\"unchanged\":1465,\"skipped\":5,\"total\":20000}");
	buf_reset(&js);
	msg_empty_pack(&f, MSG_HEARTBEAT);
	o = pf_read_frame(&f, &fr);
	msgpack_to_json(&js, o);
	ck_assert_str_eq(js.data, "{\"t\":\"heartbeat\"}");
	buf_free(&js);
	frame_reader_free(&fr);
}
END_TEST

/* ---------------------------------------------------------------------- */

static Suite *
json_suite(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc;

	tc = tcase_create("json");
	tcase_add_test(tc, test_json_nested);
	tcase_add_test(tc, test_json_odd_values);
	tcase_add_test(tc, test_json_message);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr;
	int	 failed;

	sr = srunner_create(json_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
