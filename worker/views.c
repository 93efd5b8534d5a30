/*
 * views.c — the ERP's list views as data: where each lives, the filter and
 * sort a full sync needs, and how captions map to columns and types
 * (erp-contract.md §3, §6). Adding a view means adding an entry here.
 */
#include <string.h>

#include "worker/worker.h"

static const struct view_col customer_cols[] = {
	{ "ID", "ID", "internal_id", COL_INT },
	{ "ID PROFILO CLIENTE", "ACCOUNTNUM", "account", COL_TEXT },
	{ "NOME", "NAME", "name", COL_TEXT },
	{ "PARTITA IVA", "VATNUM", "vat_number", COL_TEXT },
	{ "PEC", "PEC", "pec", COL_TEXT },
	{ "SDI", "SDI", "sdi", COL_TEXT },
	{ "CODICE FISCALE", "FISCALCODE", "fiscal_code", COL_TEXT },
	{ "TERMINI DI CONSEGNA", "DLVTERM", "delivery_terms", COL_TEXT },
	{ "VIA", "STREET", "street", COL_TEXT },
	{ "CAP", "ZIPCODE", "postal_code", COL_TEXT },
	{ "CITTÀ", "CITY", "city", COL_TEXT },
	{ "TELEFONO", "PHONE", "phone", COL_TEXT },
	{ "CELLULARE", "CELLPHONE", "mobile", COL_TEXT },
	{ "URL", "URL", "url", COL_TEXT },
	{ "ALL'ATTENZIONE DI", "ATTENTION", "attention_to", COL_TEXT },
	{ "DATA DELL'ULTIMO ORDINE", "LASTORDERDATE", "last_order_date", COL_DATE },
	{ "CONTEGGI DEGLI ORDINI EFFETTIVI", "ORDERCOUNT", "order_count", COL_INT },
	{ "VENDITE PRECEDENTE", "PREVSALES", "previous_sales", COL_DECIMAL },
	{ "BLOCCATO", "BLOCKED", "blocked", COL_BOOL },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", COL_DATETIME },
};

static const struct view_col order_cols[] = {
	{ "ID", "ID", "order_id", COL_TEXT },
	{ "ID DI VENDITA", "SALESID", "order_number", COL_TEXT },
	{ "PROFILO CLIENTE", "CUSTACCOUNT", "customer_account", COL_TEXT },
	{ "NOME VENDITE", "SALESNAME", "customer_name", COL_TEXT },
	{ "NOME DI CONSEGNA", "DELIVERYNAME", "delivery_name", COL_TEXT },
	{ "INDIRIZZO DI CONSEGNA", "DELIVERYADDRESS", "delivery_address", COL_TEXT },
	{ "DATA DI CREAZIONE", "CREATEDDATETIME", "created_at", COL_DATETIME },
	{ "DATA DI CONSEGNA", "DELIVERYDATE", "delivery_date", COL_DATE },
	{ "RIFERIMENTO CLIENTE", "CUSTOMERREF", "customer_ref", COL_TEXT },
	{ "STATO DELLE VENDITE", "SALESSTATUS", "sales_status", COL_TEXT },
	{ "TIPO DI ORDINE", "SALESTYPE", "order_type", COL_TEXT },
	{ "STATO DEL DOCUMENTO", "DOCUMENTSTATUS", "document_status", COL_TEXT },
	{ "APPLICA SCONTO %", "DISCPERCENT", "discount_percent", COL_DECIMAL },
	{ "IMPORTO LORDO", "GROSSAMOUNT", "gross_amount", COL_DECIMAL },
	{ "IMPORTO TOTALE", "AMOUNT", "total_amount", COL_DECIMAL },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", COL_DATETIME },
};

static const struct view_col product_cols[] = {
	{ "ID ARTICOLO", "ITEMID", "item_id", COL_TEXT },
	{ "NOME ARTICOLO", "NAME", "name", COL_TEXT },
	{ "DESCRIZIONE", "DESCRIPTION", "description", COL_TEXT },
	{ "GRUPPO ARTICOLO", "ITEMGROUPID", "group_code", COL_TEXT },
	{ "IMMAGINE", "IMAGE", "image_url", COL_IMAGE },
	{ "CONTENUTO DELL'IMBALLAGGIO", "PACKAGE", "package_content", COL_TEXT },
	{ "NOME DELLA RICERCA", "SEARCHNAME", "search_name", COL_TEXT },
	{ "UNITÀ DI PREZZO", "PRICEUNIT", "price_unit", COL_TEXT },
	{ "QTÀ MINIMA", "MINQTY", "min_qty", COL_DECIMAL },
	{ "QTÀ MULTIPLA", "MULTIPLEQTY", "multiple_qty", COL_DECIMAL },
	{ "QTÀ MASSIMA", "MAXQTY", "max_qty", COL_DECIMAL },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", COL_DATETIME },
};

static const struct view_col price_cols[] = {
	{ "ID", "RECID", "price_id", COL_TEXT },
	{ "CONTO", "ACCOUNTCODE", "account_code", COL_TEXT },
	{ "DESCRIZIONE CONTO", "ACCOUNTRELATION", "account_description", COL_TEXT },
	{ "ITEM SELECTION", "ITEMRELATION", "item_id", COL_TEXT },
	{ "ITEM DESCRIPTION", "ITEMNAME", "item_description", COL_TEXT },
	{ "DA DATA", "FROMDATE", "valid_from", COL_DATE },
	{ "DATA", "TODATE", "valid_to", COL_DATE },
	{ "QUANTITÀ FROM", "QUANTITYAMOUNTFROM", "qty_from", COL_DECIMAL },
	{ "QUANTITÀ TO", "QUANTITYAMOUNTTO", "qty_to", COL_DECIMAL },
	{ "IMPORTO", "AMOUNT", "amount", COL_DECIMAL },
	{ "VALUTA", "CURRENCY", "currency", COL_TEXT },
	{ "MODIFICATO IL", "MODIFIEDDATETIME", "modified_at", COL_DATETIME },
};

/*
 * Prices: every amount change is kept in price_changes (a trigger, so no
 * code path can forget it), and each page's prices are matched to products
 * by item id, then exact name, then name ignoring case, dots, spaces and
 * dashes (erp_norm, see store.c). A name shared by several products
 * (packaging variants) matches none of them: the row keeps product_id NULL
 * and says match = 'ambiguous', where a name that fits nothing leaves
 * match NULL.
 * The products are snapshot once per run into temp._products.
 */
#define PRICES_DDL							\
	"CREATE TABLE IF NOT EXISTS price_changes ("			\
	" price_id TEXT NOT NULL, old_amount REAL, new_amount REAL,"	\
	" changed_at TEXT NOT NULL, run_id INTEGER NOT NULL);"		\
	"CREATE TRIGGER IF NOT EXISTS prices_amount_changed"		\
	" AFTER UPDATE OF amount ON prices"				\
	" WHEN old.amount IS NOT new.amount BEGIN"			\
	" INSERT INTO price_changes (price_id, old_amount, new_amount,"	\
	" changed_at, run_id) VALUES (new.price_id, old.amount,"	\
	" new.amount, new.synced_at, (SELECT run_id FROM _sync"		\
	" WHERE kind = 'prices')); END;"

#define PRICES_RUN_SQL							\
	"DROP TABLE IF EXISTS temp._products;"				\
	"CREATE TEMP TABLE _products AS SELECT item_id, name,"		\
	" erp_norm(name) AS norm FROM main.products;"			\
	"CREATE INDEX temp._products_id ON _products (item_id);"	\
	"CREATE INDEX temp._products_name ON _products (name);"		\
	"CREATE INDEX temp._products_norm ON _products (norm);"

#define PAGE_PRICES " price_id IN (SELECT k FROM temp._page) "
#define PRICES_PAGE_SQL							\
	"UPDATE prices SET product_id = NULL, match = NULL WHERE"	\
	PAGE_PRICES ";"							\
	"UPDATE prices SET product_id = item_id, match = 'id' WHERE"	\
	PAGE_PRICES "AND item_id IN (SELECT item_id FROM"		\
	" temp._products);"						\
	"UPDATE prices SET product_id = (SELECT item_id FROM"		\
	" temp._products p WHERE p.name = prices.item_description),"	\
	" match = 'name' WHERE" PAGE_PRICES "AND product_id IS NULL"	\
	" AND (SELECT count(*) FROM temp._products p WHERE"		\
	" p.name = prices.item_description) = 1;"			\
	"UPDATE prices SET product_id = (SELECT item_id FROM"		\
	" temp._products p WHERE p.norm = erp_norm(item_description)),"	\
	" match = 'normalized' WHERE" PAGE_PRICES "AND product_id IS NULL"	\
	" AND (SELECT count(*) FROM temp._products p WHERE"		\
	" p.norm = erp_norm(prices.item_description)) = 1;"		\
	"UPDATE prices SET match = 'ambiguous' WHERE" PAGE_PRICES	\
	"AND product_id IS NULL AND (SELECT count(*) FROM"		\
	" temp._products p WHERE p.norm ="				\
	" erp_norm(prices.item_description)) > 1;"

static const struct view views[] = {
	{
		.kind = "customers",
		.path = "CUSTTABLE_ListView_Agent",
		.filter_key = "xaf_xaf_a0All_Customers",
		.filter_caption = "Tutti i clienti",
		.sort_field = "ID",
		.sort_desc = 1,		/* new customers land first */
		.table = "customers",
		.key = "account",
		.per_user = 0,
		.db_name = "customers-%s.db",
		.cols = customer_cols,
		.ncols = nitems(customer_cols),
	},
	{
		.kind = "orders",
		.path = "SALESTABLE_ListView_Agent",
		.filter_key = "xaf_xaf_a1ListViewSalesTableOrdersAll",
		.filter_caption = "Tutti gli ordini",
		.sort_field = "ID",
		.sort_desc = 1,		/* new orders land first */
		.table = "orders",
		.key = "order_id",
		.per_user = 1,
		.db_name = "orders.db",
		.cols = order_cols,
		.ncols = nitems(order_cols),
	},
	{
		.kind = "products",
		.path = "INVENTTABLE_ListView",
		.sort_field = "ITEMID",
		.sort_desc = 0,
		.table = "products",
		.key = "item_id",
		.db_name = "products.db",
		.cols = product_cols,
		.ncols = nitems(product_cols),
	},
	{
		.kind = "prices",
		.path = "PRICEDISCTABLE_ListView",
		.sort_field = "RECID",
		.sort_desc = 0,
		.table = "prices",
		.key = "price_id",
		.db_name = "products.db",
		.cols = price_cols,
		.ncols = nitems(price_cols),
		.extra_cols = "product_id TEXT, match TEXT, ",
		.extra_ddl = PRICES_DDL,
		.run_sql = PRICES_RUN_SQL,
		.page_sql = PRICES_PAGE_SQL,
	},
};

/* The view of a kind, or NULL. */
const struct view *
view_find(const char *kind)
{
	size_t	 i;

	for (i = 0; i < nitems(views); i++)
		if (strcmp(views[i].kind, kind) == 0)
			return &views[i];
	return NULL;
}

/* The i-th view, or NULL past the end: for walking them all. */
const struct view *
view_at(size_t i)
{
	return i < nitems(views) ? &views[i] : NULL;
}

/* A view's column by ERP fieldname, or NULL. */
const struct view_col *
view_col_by_field(const struct view *v, const char *fieldname)
{
	size_t	 i;

	for (i = 0; i < v->ncols; i++)
		if (strcmp(v->cols[i].fieldname, fieldname) == 0)
			return &v->cols[i];
	return NULL;
}

/* Index of the view's column named column (a database column). */
size_t
view_col_index(const struct view *v, const char *column)
{
	size_t	 i;

	for (i = 0; i < v->ncols; i++)
		if (strcmp(v->cols[i].column, column) == 0)
			return i;
	fatalx("view %s has no %s column", v->kind, column);
}

/* Index of the key column in the view's columns. */
size_t
view_key_index(const struct view *v)
{
	return view_col_index(v, v->key);
}
