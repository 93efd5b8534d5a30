/*
 * tls.c — HTTPS with --tls-cert and --tls-key, as production ERPs serve
 * (often with a self-signed certificate): every accepted connection gets a
 * bufferevent_openssl in place of the plain socket one. The same port, the
 * same pages and faults; only the transport changes.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>

#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>

#include "tests/erpsim/erpsim.h"

static SSL_CTX	*ctx;

static void
tls_log_errors(const char *what)
{
	unsigned long	 e;
	char		 msg[256];

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, msg, sizeof(msg));
		log_warnx("%s: %s", what, msg);
	}
}

/* Load the certificate chain and its key; 0, or -1 after logging why. */
int
tls_init(const char *cert, const char *key)
{
	if ((ctx = SSL_CTX_new(TLS_server_method())) == NULL) {
		tls_log_errors("SSL_CTX_new");
		return -1;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		tls_log_errors(cert);
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		tls_log_errors(key);
		return -1;
	}
	return 0;
}

/* A server-side TLS bufferevent; evhttp gives it the accepted socket. */
static struct bufferevent *
tls_bev(struct event_base *base, void *arg)
{
	struct bufferevent	*bev;
	SSL			*ssl;

	if ((ssl = SSL_new(arg)) == NULL)
		fatalx("SSL_new failed");
	/* The bufferevent owns ssl (BEV_OPT_CLOSE_ON_FREE frees it). */
	bev = bufferevent_openssl_socket_new(base, -1, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL)
		fatalx("bufferevent_openssl_socket_new failed");
	/* Clients may close without close_notify; that is no error here. */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
}

/* Serve HTTPS on http when tls_init() succeeded; plain HTTP otherwise. */
void
tls_attach(struct evhttp *http)
{
	if (ctx != NULL)
		evhttp_set_bevcb(http, tls_bev, ctx);
}

/* Release the TLS context (at exit). */
void
tls_free(void)
{
	if (ctx != NULL)
		SSL_CTX_free(ctx);
	ctx = NULL;
}
