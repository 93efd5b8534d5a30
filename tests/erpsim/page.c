/*
 * page.c — everything around the grid that makes a page look like XAF:
 * the login form, the full list view page (head, scripts, hidden inputs,
 * menus), the start page, ASP.NET's error and "Object moved" pages, and the
 * random view state.
 */
#include <stdio.h>
#include <string.h>

#include "tests/erpsim/erpsim.h"

#define DOCTYPE "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" " \
	"\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n" \
	"<html xmlns=\"http://www.w3.org/1999/xhtml\">\n"

static const char jsblob[] =
	"var __aspxInvalidDimension=-10000;var __aspxInvalidPosition=-10000;"
	"var __aspxAbsoluteLeftPosition=-10000;var __aspxAbsoluteRightPosition"
	"=10000;var __aspxMenuZIndex=21998;ASPx.AccessibilityUtils={};\n"
	"function xafShowProgress(show){var p=document.getElementById('Loading"
	"Panel');if(p){p.style.display=show?'block':'none';}}\n"
	"function xafCheckInput(v){ if (v.length > 0 && v.length < 256) "
	"return '<b>' + v + '</b>'; return \"&nbsp;\"; }\n"
	"window.xafFramework={navigate:function(u){if(u!=null&&u.indexOf('?')<0"
	"){window.location.href=u;}},isDirty:false,confirmText:'Le modifiche "
	"non salvate andranno perse. Continuare?'};\n";

static const char css[] =
	"<link href=\"%s/DXR.axd?r=1_74,1_66,1_67,1_68,1_72,0_4140-6OxAd\" "
	"rel=\"stylesheet\" type=\"text/css\" />\n"
	"<link href=\"%s/App_Themes/XafTheme/Xaf.css\" rel=\"stylesheet\" "
	"type=\"text/css\" />\n";

/* Append n random base64 characters; *hash gets their hash when asked. */
void
random_b64(struct buf *b, size_t n, uint64_t *hash)
{
	static const char	 a[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 start, i;
	uint64_t		 x = 0;

	buf_reserve(b, n);
	start = b->len;
	for (i = 0; i < n; i++) {
		if (i % 10 == 0)
			x = rng_next(&sim.rt);
		b->data[b->len++] = a[x & 63];
		x >>= 6;
	}
	if (n > 2 && n % 4 == 0)
		b->data[b->len - 1] = '=';
	b->data[b->len] = '\0';
	if (hash != NULL)
		*hash = hash_str(b->data + start, n);
}

static void
hidden(struct buf *b, const char *name, const char *value, size_t rnd,
    uint64_t *hash)
{
	struct hattr	 a[] = { { "type", "hidden" }, { "name", name },
			    { "id", name }, { "value", "" } };
	size_t		 start;

	if (rnd == 0) {
		a[3].v = value;
		html_open(b, "input", a, 4, (unsigned)strlen(name));
		buf_adds(b, "\n");
		return;
	}
	/* Write the tag with an empty value and splice the random one in. */
	html_open(b, "input", a, 3, 0);
	b->len--;
	buf_adds(b, " value=\"");
	start = b->len;
	if (rnd > strlen(value)) {
		/* A recognisable prefix, then random: rnd bytes in all. */
		buf_adds(b, value);
		rnd -= strlen(value);
	}
	random_b64(b, rnd, NULL);
	if (hash != NULL)
		*hash = hash_str(b->data + start, b->len - start);
	buf_adds(b, "\" />\n");
}

/* The scripts DevExpress puts after the controls. */
void
page_scripts(struct buf *b, const char *grid)
{
	buf_adds(b, "<script type=\"text/javascript\">\n//<![CDATA[\n");
	buf_adds(b, jsblob);
	if (grid != NULL)
		buf_addf(b, "ASPx.createControl(ASPxClientGridView,'%s','',{"
		    "'callBack':function(arg) { WebForm_DoCallback('%s',arg,"
		    "ASPx.Callback,'%s',ASPx.CallbackError,true); },'pageRowCount"
		    "':20,'pageRowSize':20,'allowFocusedRow':true,'allowSelectSi"
		    "ngleRowOnly':false,'callbackOnFocusedRowChanged':false,'col"
		    "umnProp':[[0,'',1,0,0]],'editState':0,'editItemVisibleIndex'"
		    ":-1,'searchPanelFilter':'','dxgvHeaderHtml':'<td class=\\'dxg"
		    "vHeader_XafTheme\\'>...</td>'},null,null,{'decimalPoint':',',"
		    "'numberGroupSeparator':'.'});\n", grid, grid, grid);
	buf_adds(b, "//]]>\n</script>\n");
}

/* The application menu, the current view (k) highlighted; -1 for none. */
void
page_menu(struct buf *b, int k)
{
	int	 i;

	buf_adds(b, "<div id=\"Vertical_NC_NB\" class=\"dxnbControl_XafTheme "
	    "NavigationBar\"><div class=\"dxnb-gr\"><div class=\"dxnb-ghtext\">"
	    "Vendite</div><ul class=\"dxnb-content\">\n");
	for (i = 0; i < K_COUNT; i++)
		buf_addf(b, "<li class=\"dxnb-item%s\"><a class=\"dxnb-link\" "
		    "href=\"%s/%s/\" title=\"%s\">%s</a></li>\n",
		    i == k ? " dxnb-itemSelected" : "", sim.conf.base,
		    views[i].path, views[i].title, views[i].title);
	buf_addf(b, "<li class=\"dxnb-item\"><a class=\"dxnb-link\" href=\"%s/"
	    "Report_ListView/\">Report</a></li><li class=\"dxnb-item\"><a "
	    "class=\"dxnb-link\" href=\"%s/Logout.aspx\">Esci</a></li></ul>"
	    "</div></div>\n", sim.conf.base, sim.conf.base);
}

static void
head(struct buf *b, const char *title)
{
	buf_adds(b, DOCTYPE "<head id=\"Head1\"><title>\n\t");
	html_text(b, title, strlen(title), sim.layout.ent, 1);
	buf_adds(b, " - Archibald\n</title><meta http-equiv=\"Content-Type\" "
	    "content=\"text/html; charset=utf-8\" /><meta http-equiv=\"X-UA-"
	    "Compatible\" content=\"IE=edge\" />\n");
	buf_addf(b, css, sim.conf.base, sim.conf.base);
	buf_addf(b, "<script id=\"dxis_1142\" src=\"%s/DXR.axd?r=1_9,1_10,1_253,"
	    "1_18,1_19,1_20,1_21,1_244-6OxAd\" type=\"text/javascript\"></script>"
	    "\n", sim.conf.base);
	buf_adds(b, "</head>\n");
}

static void
hidden_top(struct buf *b, struct session *s, int login)
{
	uint64_t	*vs = login ? &s->vs_hash : NULL;
	uint64_t	*ev = login ? &s->ev_hash : NULL;

	buf_adds(b, "<div class=\"aspNetHidden\">\n");
	hidden(b, "__EVENTTARGET", "", 0, NULL);
	hidden(b, "__EVENTARGUMENT", "", 0, NULL);
	hidden(b, "__VIEWSTATE", "/wEPDwUKLTE2", sim.conf.viewstate_bytes, vs);
	buf_adds(b, "</div>\n\n<script type=\"text/javascript\">\n//<![CDATA[\n"
	    "var theForm = document.forms['form1'];\nif (!theForm) {\n    theForm"
	    " = document.form1;\n}\nfunction __doPostBack(eventTarget, eventArgu"
	    "ment) {\n    if (!theForm.onsubmit || (theForm.onsubmit() != false)"
	    ") {\n        theForm.__EVENTTARGET.value = eventTarget;\n        the"
	    "Form.__EVENTARGUMENT.value = eventArgument;\n        theForm.submit"
	    "();\n    }\n}\n//]]>\n</script>\n");
	buf_addf(b, "<script src=\"%s/WebResource.axd?d=pynGkmcFUV13He1Qd6_TZ"
	    "&amp;t=637811765229275428\" type=\"text/javascript\"></script>\n",
	    sim.conf.base);
	buf_adds(b, "<div class=\"aspNetHidden\">\n");
	hidden(b, "__VIEWSTATEGENERATOR", sim.layout.generator, 0, NULL);
	hidden(b, "__EVENTVALIDATION", "/wEdAA", 150 + rng_below(&sim.rt, 200),
	    ev);
	buf_adds(b, "</div>\n");
	if (login)
		s->issued = 1;
}

static void
login_input(struct buf *b, const char *name, const char *type,
    const char *value)
{
	char		 id[128];
	struct hattr	 a[] = { { "name", name }, { "type", type },
			    { "id", id }, { "class", "dxeEditArea_XafTheme "
			    "dxeEditAreaSys" }, { "value", value },
			    { "autocomplete", "off" } };
	size_t		 i;

	snprintf(id, sizeof(id), "%s_I", name);
	for (i = 0; id[i] != '\0'; i++)
		if (id[i] == '$')
			id[i] = '_';
	html_open(b, "input", a, (int)nitems(a), (unsigned)strlen(type));
}

/*
 * The login page, issuing new hidden values to session s; error is the
 * LogonErrorText to show, or NULL.
 */
void
page_login(struct buf *b, struct session *s, const char *error,
    const char *returnurl)
{
	const struct layout	*L = &sim.layout;
	char			 state[160];

	head(b, "Accesso");
	buf_adds(b, "<body class=\"Dialog LogonTemplate\">\n<form name=\"form1\""
	    " method=\"post\" action=\"./Login.aspx");
	if (returnurl != NULL) {
		buf_adds(b, "?ReturnUrl=");
		url_encode(b, returnurl);
	}
	buf_adds(b, "\" id=\"form1\">\n");
	hidden_top(b, s, 1);
	buf_adds(b, "<div class=\"LogonContent\"><table class=\"LogonMainTable"
	    "\" cellpadding=\"0\" cellspacing=\"0\"><tr><td class=\"Logo\"><img "
	    "src=\"");
	buf_adds(b, sim.conf.base);
	buf_adds(b, "/Images/Logo.png\" alt=\"Archibald\" /></td></tr>\n<tr><td>"
	    "<p class=\"LogonText\">Benvenuto! Inserire nome utente e password "
	    "per accedere all'applicazione.</p></td></tr>\n");
	if (error != NULL) {
		buf_adds(b, "<tr><td><span class=\"LogonErrorText ErrorMessage\">");
		html_text(b, error, strlen(error), L->ent, 7);
		buf_adds(b, "</span></td></tr>\n");
	}
	buf_adds(b, "<tr><td><table class=\"dxflGroup\"><tr><td class=\"Caption"
	    "\"><label>Nome utente:</label></td><td>");
	login_input(b, L->login_user, "text", "");
	snprintf(state, sizeof(state), "%s$State", L->login_user);
	buf_adds(b, "</td></tr>\n<tr><td class=\"Caption\"><label>Password:"
	    "</label></td><td>");
	login_input(b, L->login_pass, "password", "");
	buf_adds(b, "</td></tr></table></td></tr>\n<tr><td class=\"Buttons\">");
	login_input(b, L->login_button, "submit", "Accedi");
	buf_adds(b, "</td></tr></table></div>\n");
	hidden(b, state, "{\"rawValue\":\"\"}", 0, NULL);
	buf_adds(b, "</form>\n");
	page_scripts(b, NULL);
	buf_adds(b, "</body>\n</html>\n");
}

/*
 * What an XAF application answers a right login with when the password
 * has expired: a page to change it (no LogonErrorText, no auth cookie).
 * Until it is changed in a browser, no login of that user gets further.
 */
void
page_password_change(struct buf *b, struct session *s)
{
	static const char *const fields[][2] = {
		{ "Password attuale:", "OldPassword" },
		{ "Nuova password:", "NewPassword" },
		{ "Conferma password:", "ConfirmPassword" },
	};
	char	 name[96];
	size_t	 i;

	head(b, "Cambio password");
	buf_adds(b, "<body class=\"Dialog LogonTemplate\">\n<form name=\"form1\""
	    " method=\"post\" action=\"./ChangePassword.aspx\" id=\"form1\">\n");
	hidden_top(b, s, 1);
	buf_adds(b, "<div class=\"LogonContent\"><table class=\"LogonMainTable"
	    "\"><tr><td><p class=\"LogonText\">La password &#232; scaduta. "
	    "Impostare una nuova password per continuare.</p></td></tr>\n"
	    "<tr><td><table class=\"dxflGroup\">");
	for (i = 0; i < nitems(fields); i++) {
		snprintf(name, sizeof name, "Change$%s_Edit", fields[i][1]);
		buf_addf(b, "<tr><td class=\"Caption\"><label>%s</label></td>"
		    "<td>", fields[i][0]);
		login_input(b, name, "password", "");
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table></td></tr>\n<tr><td class=\"Buttons\">");
	login_input(b, "Change$ChangeButton", "submit", "Cambia");
	buf_adds(b, "</td></tr></table></div>\n</form>\n");
	page_scripts(b, NULL);
	buf_adds(b, "</body>\n</html>\n");
}

static void
body_top(struct buf *b, struct session *s, int k)
{
	buf_adds(b, "<body class=\"VerticalTemplate\" onload=\"xafShowProgress("
	    "false);\">\n<form name=\"form1\" method=\"post\" action=\"./\" "
	    "id=\"form1\">\n");
	hidden_top(b, s, 0);
	buf_addf(b, "<table class=\"Layout TopArea\" cellpadding=\"0\" "
	    "cellspacing=\"0\"><tr><td class=\"Logo\"><a href=\"%s/Default.aspx"
	    "\"><img src=\"%s/Images/Logo.png\" alt=\"Archibald\" /></a></td>"
	    "<td class=\"Account\">Utente: <b>", sim.conf.base, sim.conf.base);
	if (s->user >= 0)
		html_text(b, sim.users[s->user].name,
		    strlen(sim.users[s->user].name), sim.layout.ent, 0);
	buf_addf(b, "</b> | <a href=\"%s/Logout.aspx\">Esci</a></td></tr>"
	    "</table>\n", sim.conf.base);
	page_menu(b, k);
}

/* The full page of list view k for session s: chrome around the grid. */
void
page_view(struct buf *b, struct session *s, enum kind k)
{
	const char	*title = views[k].title;

	head(b, title);
	body_top(b, s, (int)k);
	buf_adds(b, "<div class=\"MainContent\"><div class=\"ViewCaption\"><h1>");
	html_text(b, title, strlen(title), sim.layout.ent, 2);
	buf_adds(b, "</h1></div>\n<div class=\"ToolBar\"><ul class=\"dxm-main\">"
	    "<li class=\"dxm-item\"><a href=\"javascript:;\">Nuovo</a></li><li "
	    "class=\"dxm-item\"><a href=\"javascript:;\">Aggiorna</a></li><li "
	    "class=\"dxm-item\"><a href=\"javascript:;\">Esporta in Excel</a>"
	    "</li></ul></div>\n");
	render_grid(b, s, k);
	buf_adds(b, "\n</div>\n<div class=\"Footer\">Copyright &copy; 2026 "
	    "Archibald &#8211; Versione 15.2.7.0</div>\n</form>\n");
	page_scripts(b, sim.layout.v[k].grid);
	buf_adds(b, "</body>\n</html>\n");
}

/* The start page after login (Default.aspx). */
void
page_default(struct buf *b, struct session *s)
{
	head(b, "Home");
	body_top(b, s, -1);
	buf_adds(b, "<div class=\"MainContent\"><h1>Benvenuto in Archibald</h1>"
	    "<p>Selezionare una voce dal menu.</p></div>\n</form>\n");
	page_scripts(b, NULL);
	buf_adds(b, "</body>\n</html>\n");
}

/* ASP.NET's error page for status code. */
void
page_error(struct buf *b, int code, const char *msg)
{
	buf_addf(b, "<!DOCTYPE html>\n<html>\n<head><title>Errore di run-time"
	    "</title></head>\n<body bgcolor=\"white\">\n<span><h1>Errore del "
	    "server nell'applicazione '%s'.<hr width=\"100%%\" size=\"1\" "
	    "color=\"silver\"></h1>\n<h2><i>", sim.conf.base[0] ?
	    sim.conf.base + 1 : "/");
	html_text(b, msg, strlen(msg), 0, 0);
	buf_addf(b, "</i></h2></span>\n<b>Codice: </b>%d<br>\n<!-- [HttpException"
	    "]: erpsim -->\n</body>\n</html>\n", code);
}

/*
 * ASP.NET's page for an exception nobody handled ("yellow screen of
 * death"), Italian, as a grid callback that failed inside the server gets
 * it: whole, its comment after </html>, and no grid in it.
 */
void
page_exception(struct buf *b)
{
	static const char	 what[] = "Riferimento a un oggetto non "
	    "impostato su un'istanza di oggetto.";

	buf_adds(b, "<!DOCTYPE html>\n<html>\n    <head>\n        <title>");
	html_text(b, what, strlen(what), 0, 0);
	buf_adds(b, "</title>\n        <meta name=\"viewport\" content=\"width="
	    "device-width\" />\n        <style>\n         body {font-family:"
	    "\"Verdana\";font-weight:normal;font-size: .7em;color:black;}\n"
	    "         pre {font-family:\"Consolas\",\"Lucida Console\","
	    "Monospace;font-size:11pt;margin:0;padding:0.5em;line-height:14pt}"
	    "\n        </style>\n    </head>\n\n    <body bgcolor=\"white\">\n"
	    "\n            <span><H1>");
	buf_addf(b, "Errore del server nell'applicazione '%s'.", sim.conf.base[0] ?
	    sim.conf.base : "/");
	buf_addf(b, "<hr width=100%% size=1 color=silver></H1>\n\n            "
	    "<h2> <i>%s</i> </h2></span>\n\n            <font face=\"Arial, "
	    "Helvetica, Geneva, SunSans-Regular, sans-serif \">\n\n"
	    "            <b> Descrizione: </b>Eccezione non gestita durante "
	    "l'esecuzione della richiesta Web corrente. Per ulteriori "
	    "informazioni sull'errore e sul suo punto di origine nel codice, "
	    "vedere l'analisi dello stack.\n\n            <br><br>\n\n"
	    "            <b> Dettagli eccezione: </b>System.NullReferenceException"
	    ": %s<br><br>\n\n            <b>Analisi dello stack:</b> <br><br>"
	    "\n\n            <table width=100%% bgcolor=\"#ffffcc\">\n"
	    "               <tr>\n                  <td>\n                      "
	    "<code><pre>\n\n[NullReferenceException: %s]\n", what, what, what);
	buf_adds(b, "   DevExpress.Web.ASPxGridView.RaiseCallbackEvent(String "
	    "eventArgument) +214\n   System.Web.UI.Page.PrepareCallback(String "
	    "callbackControlID) +247\n</pre></code>\n\n                  </td>"
	    "\n               </tr>\n            </table>\n\n            <br>\n"
	    "\n            <hr width=100% size=1 color=silver>\n\n"
	    "            <b>Informazioni sulla versione:</b>&nbsp;Versione di "
	    "Microsoft .NET Framework:4.0.30319; Versione ASP.NET:4.8.4494.0\n"
	    "\n            </font>\n\n    </body>\n</html>\n<!-- \n");
	buf_addf(b, "[NullReferenceException]: %s\n   in DevExpress.Web."
	    "ASPxGridView.RaiseCallbackEvent(String eventArgument)\n-->\n", what);
}

/* IIS's body for a 302. */
void
page_moved(struct buf *b, const char *location)
{
	buf_adds(b, "<html><head><title>Object moved</title></head><body>\n"
	    "<h2>Object moved to <a href=\"");
	html_text(b, location, strlen(location), 0, 0);
	buf_adds(b, "\">here</a>.</h2>\n</body></html>\n");
}
