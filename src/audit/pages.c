#include "audit/audit_api.h"
#include "http/http.h"
#include "web/web.h"

int
audit_page_list(struct req *r)
{
	web_error_page(r, 404, NULL);
	return 0;
}
