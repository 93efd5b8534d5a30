/*
 * json.c — render msgpack objects as JSON text, for erpsyncctl --json and
 * for printing responses.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "proto/proto.h"

/* A JSON string: n bytes of p, escaped by common/jsonesc.c, in quotes. */
static void
json_str(struct buf *b, const char *p, size_t n)
{
	buf_addc(b, '"');
	buf_add_json(b, p, n);
	buf_addc(b, '"');
}

/* Append o as JSON; binary and extension values become null. */
void
msgpack_to_json(struct buf *b, const msgpack_object *o)
{
	uint32_t	 i;

	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		buf_adds(b, "null");
		break;
	case MSGPACK_OBJECT_BOOLEAN:
		buf_adds(b, o->via.boolean ? "true" : "false");
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		buf_addf(b, "%" PRIu64, o->via.u64);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		buf_addf(b, "%" PRId64, o->via.i64);
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		if (isfinite(o->via.f64))
			buf_addf(b, "%.17g", o->via.f64);
		else
			buf_adds(b, "null");
		break;
	case MSGPACK_OBJECT_STR:
		json_str(b, o->via.str.ptr, o->via.str.size);
		break;
	case MSGPACK_OBJECT_ARRAY:
		buf_addc(b, '[');
		for (i = 0; i < o->via.array.size; i++) {
			if (i > 0)
				buf_addc(b, ',');
			msgpack_to_json(b, &o->via.array.ptr[i]);
		}
		buf_addc(b, ']');
		break;
	case MSGPACK_OBJECT_MAP:
		buf_addc(b, '{');
		for (i = 0; i < o->via.map.size; i++) {
			const msgpack_object *k = &o->via.map.ptr[i].key;
			if (i > 0)
				buf_addc(b, ',');
			if (k->type == MSGPACK_OBJECT_STR)
				json_str(b, k->via.str.ptr, k->via.str.size);
			else
				buf_adds(b, "\"?\"");
			buf_addc(b, ':');
			msgpack_to_json(b, &o->via.map.ptr[i].val);
		}
		buf_addc(b, '}');
		break;
	default:
		buf_adds(b, "null");
		break;
	}
}
