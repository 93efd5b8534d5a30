/*
 * protofix.h — fixtures for proto/ shared by the Check suites
 * (check_frame.c, check_msg.c, check_json.c) and the fuzzer
 * (tests/fuzz/fuzz_frame.c): a sample message of every type, hand-built
 * msgpack for hostile payloads, and table helpers over every message body.
 * protofix.c uses no Check, so the fuzzer links it; protoread.c holds the
 * helpers that assert with Check.
 */
#ifndef PROTOFIX_H
#define PROTOFIX_H

#include <stddef.h>
#include <stdint.h>

#include "proto/proto.h"

/* Every message body, for table-driven tests. */
union anymsg {
	struct msg_hello	 hello;
	struct msg_error	 error;
	struct msg_job		 job;
	struct msg_progress	 progress;
	struct msg_log		 log;
	struct msg_done		 done;
	struct msg_req		 req;
	struct msg_session	 session;
	struct msg_cred		 cred;
};

/* A bare msgpack writer for hand-built (often hostile) payloads. */
struct mp {
	msgpack_sbuffer	 sb;
	msgpack_packer	 pk;
};

/* A replacement value for one field of a map. */
enum vkind {
	V_NIL, V_INT, V_UINT, V_STR, V_RAW, V_FILL, V_BOOL, V_FLOAT, V_ARRAY,
	V_MAP, V_BIN
};
struct val {
	enum vkind	 kind;
	int64_t		 i;
	uint64_t	 u;
	const char	*s;
	size_t		 n;	/* V_RAW: bytes of s; V_FILL: count of 'a' */
};

/* protofix.c */
#define PF_NUNPACKABLE	9
#define PF_NEMPTY	7
#define PF_NEXTRA	2
extern const enum msg_type pf_unpackable[PF_NUNPACKABLE];
extern const enum msg_type pf_empty_types[PF_NEMPTY];
void	 pf_mp_init(struct mp *);
void	 pf_mp_free(struct mp *);
void	 pf_mp_str(struct mp *, const char *);
void	 pf_put_hdr(struct buf *, size_t);
void	 pf_fill(char *dst, size_t size, const char *prefix, char c);
int	 pf_contains(const char *hay, const char *needle);
int	 pf_unpack_as(enum msg_type, const msgpack_object *, union anymsg *,
	    char *err, size_t errlen);
size_t	 pf_body_size(enum msg_type);
void	 pf_pack_as(enum msg_type, struct frame *, const union anymsg *);
void	 pf_sample_hello(struct msg_hello *);
void	 pf_sample_error(struct msg_error *);
void	 pf_sample_job(struct msg_job *);
void	 pf_sample_progress(struct msg_progress *);
void	 pf_sample_log(struct msg_log *);
void	 pf_sample_done(struct msg_done *);
void	 pf_sample_session(struct msg_session *);
void	 pf_pack_sample(enum msg_type, struct frame *);
const char *pf_pack_extra(size_t k, struct frame *);
void	 pf_pack_val(msgpack_packer *, const struct val *);
void	 pf_repack(const msgpack_object *map, const char *key,
	    const struct val *, struct mp *out);

/* protoread.c: through a frame_reader, failing the Check test on error. */
void	 pf_feed_payload(struct frame_reader *, const void *, size_t);
const msgpack_object *pf_read_payload(struct frame_reader *, const void *,
	    size_t);
const msgpack_object *pf_read_frame(struct frame *, struct frame_reader *);
void	 pf_frame_append(struct frame *, struct buf *);
void	 pf_expect_reject(const void *, size_t, const char *needle);
void	 pf_expect_reject_payload(const void *, size_t, const char *needle);
int	 pf_unpack_variant(enum msg_type, const char *key, const struct val *,
	    union anymsg *, struct frame_reader *, char *err, size_t errlen);

#endif /* PROTOFIX_H */
