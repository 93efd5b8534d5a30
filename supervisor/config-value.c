/*
 * config-value.c — the values of config keys that are more than a number,
 * a duration or a word: sizes ("2G"), the ERP's URL (checked before the
 * worker hands it to libcurl, which reads much more than http), and a
 * group (a name or a numeric gid).
 */
#include <errno.h>
#include <grp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supervisor/supervisor.h"

/* Parse "2G", "512M", "64K", "1048576" or "0" into bytes. */
int
parse_bytes(const char *s, int64_t *out)
{
	char		*end;
	long long	 n;
	int64_t		 mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': mult = 1LL << 10; end++; break;
	case 'm': case 'M': mult = 1LL << 20; end++; break;
	case 'g': case 'G': mult = 1LL << 30; end++; break;
	default: return -1;
	}
	if (*end != '\0' || n > (INT64_MAX / mult))
		return -1;
	*out = (int64_t)n * mult;
	return 0;
}

/*
 * Is url an http:// or https:// URL with a host (and at most a port)? The
 * worker would hand anything else to libcurl, which also reads file://,
 * ftp:// and more. NULL when it is, else why not.
 */
const char *
config_url_check(const char *url)
{
	const char	*p, *host, *end;
	size_t		 n;
	long		 port;

	for (p = url; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p == 0x7f)
			return "spaces and control characters are not allowed";
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "https://", 8) == 0)
		host = url + 8;
	else
		return "not an http:// or https:// URL (such as "
		    "https://erp.example.com/Archibald)";
	end = host + strcspn(host, "/?#");
	if (memchr(host, '@', (size_t)(end - host)) != NULL)
		return "no user or password in the URL: they belong in the "
		    "credentials file";
	if (*host == '[') {		/* an IPv6 literal */
		n = strspn(host + 1, "0123456789abcdefABCDEF:.");
		if (n == 0 || host[1 + n] != ']')
			return "bad IPv6 host (such as http://[::1]:8080/)";
		p = host + 2 + n;
	} else {
		n = strspn(host, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_");
		if (n == 0)
			return "no host after the scheme";
		p = host + n;
	}
	if (p == end)
		return NULL;
	if (*p != ':')
		return "bad character in the host name";
	p++;
	n = strspn(p, "0123456789");
	if (n == 0 || n > 5 || p + n != end)
		return "the port must be a number";
	port = strtol(p, NULL, 10);
	if (port < 1 || port > 65535)
		return "the port must be 1-65535";
	return NULL;
}

/*
 * A group name or a numeric gid (which needs no entry in the group
 * database: a container shares only the number). -1 when neither.
 */
int
group_gid(const char *name, int64_t *gid)
{
	struct group	 gr, *res = NULL;
	char		 buf[4096], *end;
	long long	 n;

	errno = 0;
	n = strtoll(name, &end, 10);
	if (*name != '\0' && *end == '\0' && errno == 0) {
		if (n < 0 || n > 0x7fffffff)
			return -1;
		*gid = n;
		return 0;
	}
	if (getgrnam_r(name, &gr, buf, sizeof buf, &res) != 0 || res == NULL)
		return -1;
	*gid = (int64_t)gr.gr_gid;
	return 0;
}
