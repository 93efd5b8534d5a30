/*
 * schema.c — the four list views of contract §3 and §6 as data: URL,
 * columns (caption, fieldname, DB column, type) and predefined filters.
 * The column order here is the canonical one (--layout 0) and the key order
 * of /_sim/dump.
 */
#include <string.h>
#include <strings.h>

#include "tests/erpsim/erpsim.h"

static const struct coldef customer_cols[] = {
	{ "ID", "ID", "internal_id", CT_INT, 0 },
	{ "ID PROFILO CLIENTE", "ACCOUNTNUM", "account", CT_TEXT, 0 },
	{ "NOME", "NAME", "name", CT_TEXT, 0 },
	{ "PARTITA IVA", "VATNUM", "vat_number", CT_TEXT, 0 },
	{ "PEC", "PEC", "pec", CT_TEXT, 0 },
	{ "SDI", "SDI", "sdi", CT_TEXT, 0 },
	{ "CODICE FISCALE", "FISCALCODE", "fiscal_code", CT_TEXT, 0 },
	{ "TERMINI DI CONSEGNA", "DLVTERM", "delivery_terms", CT_TEXT, 0 },
	{ "VIA", "STREET", "street", CT_TEXT, 0 },
	{ "CAP", "ZIPCODE", "postal_code", CT_TEXT, 0 },
	{ "CITTÀ", "CITY", "city", CT_TEXT, 0 },
	{ "TELEFONO", "PHONE", "phone", CT_TEXT, 0 },
	{ "CELLULARE", "CELLPHONE", "mobile", CT_TEXT, 0 },
	{ "URL", "URL", "url", CT_TEXT, 0 },
	{ "ALL'ATTENZIONE DI", "ATTENTION", "attention_to", CT_TEXT, 0 },
	{ "DATA DELL'ULTIMO ORDINE", "LASTORDERDATE", "last_order_date",
	    CT_DATE, 0 },
	{ "CONTEGGI DEGLI ORDINI EFFETTIVI", "ORDERCOUNT", "order_count",
	    CT_INT, 0 },
	{ "VENDITE PRECEDENTE", "PREVSALES", "previous_sales", CT_DEC,
	    COL_MONEY },
	{ "BLOCCATO", "BLOCKED", "blocked", CT_BOOL, 0 },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", CT_DATETIME, 0 },
};

static const struct coldef order_cols[] = {
	{ "ID", "ID", "order_id", CT_TEXT, 0 },
	{ "ID DI VENDITA", "SALESID", "order_number", CT_TEXT, 0 },
	{ "PROFILO CLIENTE", "CUSTACCOUNT", "customer_account", CT_TEXT, 0 },
	{ "NOME VENDITE", "SALESNAME", "customer_name", CT_TEXT, 0 },
	{ "NOME DI CONSEGNA", "DELIVERYNAME", "delivery_name", CT_TEXT, 0 },
	{ "INDIRIZZO DI CONSEGNA", "DELIVERYADDRESS", "delivery_address",
	    CT_TEXT, 0 },
	{ "DATA DI CREAZIONE", "CREATEDDATETIME", "created_at", CT_DATETIME,
	    0 },
	{ "DATA DI CONSEGNA", "DELIVERYDATE", "delivery_date", CT_DATE, 0 },
	{ "RIFERIMENTO CLIENTE", "CUSTOMERREF", "customer_ref", CT_TEXT, 0 },
	{ "STATO DELLE VENDITE", "SALESSTATUS", "sales_status", CT_TEXT, 0 },
	{ "TIPO DI ORDINE", "SALESTYPE", "order_type", CT_TEXT, 0 },
	{ "STATO DEL DOCUMENTO", "DOCUMENTSTATUS", "document_status",
	    CT_TEXT, 0 },
	{ "APPLICA SCONTO %", "DISCPERCENT", "discount_percent", CT_DEC, 0 },
	{ "IMPORTO LORDO", "GROSSAMOUNT", "gross_amount", CT_DEC, COL_MONEY },
	{ "IMPORTO TOTALE", "AMOUNT", "total_amount", CT_DEC, COL_MONEY },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", CT_DATETIME, 0 },
};

static const struct coldef product_cols[] = {
	{ "ID ARTICOLO", "ITEMID", "item_id", CT_TEXT, 0 },
	{ "NOME ARTICOLO", "NAME", "name", CT_TEXT, 0 },
	{ "DESCRIZIONE", "DESCRIPTION", "description", CT_TEXT, 0 },
	{ "GRUPPO ARTICOLO", "ITEMGROUPID", "group_code", CT_TEXT, 0 },
	{ "IMMAGINE", "IMAGE", "image_url", CT_IMAGE, 0 },
	{ "CONTENUTO DELL'IMBALLAGGIO", "PACKAGE", "package_content",
	    CT_TEXT, 0 },
	{ "NOME DELLA RICERCA", "SEARCHNAME", "search_name", CT_TEXT, 0 },
	{ "UNITÀ DI PREZZO", "PRICEUNIT", "price_unit", CT_TEXT, 0 },
	{ "QTÀ MINIMA", "MINQTY", "min_qty", CT_DEC, 0 },
	{ "QTÀ MULTIPLA", "MULTIPLEQTY", "multiple_qty", CT_DEC, 0 },
	{ "QTÀ MASSIMA", "MAXQTY", "max_qty", CT_DEC, 0 },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", CT_DATETIME, 0 },
};

static const struct coldef price_cols[] = {
	{ "ID", "RECID", "price_id", CT_TEXT, 0 },
	{ "CONTO", "ACCOUNTCODE", "account_code", CT_TEXT, 0 },
	{ "DESCRIZIONE CONTO", "ACCOUNTRELATION", "account_description",
	    CT_TEXT, 0 },
	{ "ITEM SELECTION", "ITEMRELATION", "item_id", CT_TEXT, 0 },
	{ "ITEM DESCRIPTION", "ITEMNAME", "item_description", CT_TEXT, 0 },
	{ "DA DATA", "FROMDATE", "valid_from", CT_DATE, 0 },
	{ "DATA", "TODATE", "valid_to", CT_DATE, 0 },
	{ "QUANTITÀ FROM", "QUANTITYAMOUNTFROM", "qty_from", CT_DEC, 0 },
	{ "QUANTITÀ TO", "QUANTITYAMOUNTTO", "qty_to", CT_DEC, 0 },
	{ "IMPORTO", "AMOUNT", "amount", CT_DEC, COL_MONEY },
	{ "VALUTA", "CURRENCY", "currency", CT_TEXT, 0 },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", CT_DATETIME, 0 },
};

/* Filter 0 is the one a full sync needs; deffilter is the session default. */
static const struct filterdef customer_filters[] = {
	{ "xaf_xaf_a0All_Customers", "Tutti i clienti" },
	{ "xaf_xaf_a1Free_Customers", "Clienti liberi" },
	{ "xaf_xaf_a2Blocked_Customers", "Clienti bloccati" },
};

static const struct filterdef order_filters[] = {
	{ "xaf_xaf_a1ListViewSalesTableOrdersAll", "Tutti gli ordini" },
	{ "xaf_xaf_a0ListViewSalesTableOrdersOpen", "Ordini aperti" },
	{ "xaf_xaf_a2ListViewSalesTableOrdersInvoiced", "Ordini fatturati" },
};

#define NCOLS(a) ((int)nitems(a))

const struct viewdef views[K_COUNT] = {
	{ K_CUSTOMERS, "customers", "CUSTTABLE_ListView_Agent", "Clienti", 1,
	    customer_cols, NCOLS(customer_cols), 1,
	    customer_filters, NCOLS(customer_filters), 1 },
	{ K_ORDERS, "orders", "SALESTABLE_ListView_Agent", "Ordini", 1,
	    order_cols, NCOLS(order_cols), 0,
	    order_filters, NCOLS(order_filters), 1 },
	{ K_PRODUCTS, "products", "INVENTTABLE_ListView", "Articoli", 0,
	    product_cols, NCOLS(product_cols), 0, NULL, 0, 0 },
	{ K_PRICES, "prices", "PRICEDISCTABLE_ListView", "Prezzi e sconti", 0,
	    price_cols, NCOLS(price_cols), 0, NULL, 0, 0 },
};

/* The view served at a URL segment (IIS compares paths without case). */
int
view_by_path(const char *p)
{
	int	 k;

	for (k = 0; k < K_COUNT; k++)
		if (strcasecmp(views[k].path, p) == 0)
			return k;
	return -1;
}

/* The view called name in /_sim/ URLs ("customers"). */
int
view_by_name(const char *name)
{
	int	 k;

	for (k = 0; k < K_COUNT; k++)
		if (strcmp(views[k].name, name) == 0)
			return k;
	return -1;
}

/* Index of the known column with that fieldname, or -1. */
int
col_by_field(const struct viewdef *v, const char *field)
{
	int	 i;

	for (i = 0; i < v->ncols; i++)
		if (strcmp(v->cols[i].field, field) == 0)
			return i;
	return -1;
}

/* Index of the predefined filter with that key, or -1. */
int
filter_by_key(const struct viewdef *v, const char *key)
{
	int	 i;

	for (i = 0; i < v->nfilters; i++)
		if (strcmp(v->filters[i].key, key) == 0)
			return i;
	return -1;
}

/* Does row pass predefined filter f of its view? */
int
filter_match(const struct table *t, int f, size_t row)
{
	const char	*status;

	switch (t->def->kind) {
	case K_CUSTOMERS:
		if (f == 1)
			return t->hdr[row].flag;
		if (f == 2)
			return CELL(t, row, C_BLOCKED).i != 0;
		return 1;
	case K_ORDERS:
		status = CELL(t, row, O_STATUS).s;
		if (f == 1)
			return status != NULL &&
			    (strcmp(status, "Ordine aperto") == 0 ||
			    strcmp(status, "Ordine in sospeso") == 0);
		if (f == 2)
			return status != NULL &&
			    strcmp(status, "Fatturato") == 0;
		return 1;
	default:
		return 1;
	}
}
