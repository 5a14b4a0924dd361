#include "http/http.h"
#include "web/web.h"

void
web_error_page(struct req *r, int code, const char *detail)
{
	struct strbuf sb;
	(void)detail;
	sb_init(&sb, STRBUF_DEFAULT_LIMIT);
	sb_adds(&sb, "<!doctype html><html lang=\"sv\"><title>Fel</title><h1>Fel</h1></html>");
	req_html(r, code, &sb);
}

int
web_page_login(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
web_login_post(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
web_logout_post(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
web_page_start(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}

int
web_static(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}
