/*
 * words.c — the Italian vocabulary records are made of: people, businesses,
 * streets, cities, dental products, notes. Some entries carry the characters
 * that break naive parsers (accents, apostrophes, &, <, >, quotes).
 */
#include "tests/erpsim/erpsim.h"

#define WL(name, ...) \
	static const char *const name##_w[] = { __VA_ARGS__ }; \
	const struct wlist name = { name##_w, nitems(name##_w) }

WL(w_surnames, "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi",
    "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo",
    "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi",
    "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
    "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile",
    "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis",
    "D'Angelo", "Marchetti", "Parisi", "Villa", "Conte", "Ferraro",
    "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
    "Messina", "Sala", "De Angelis", "Gatti", "Pellegrini", "Palumbo",
    "Sanna", "Farina", "Rizzi", "Monti", "Cattaneo", "Morelli", "Amato",
    "Silvestri", "Mazza", "Testa", "Dell'Orto", "D'Amico", "Dall'Olio",
    "Niccolò", "Sciarrà", "Cantù", "Forlì", "Pelè", "Santoro", "Orrù",
    "Mereu", "Piras", "Lo Iacono", "La Rosa", "Di Stefano", "Dell'Acqua");

WL(w_firstnames, "Mario", "Luca", "Giuseppe", "Marco", "Andrea",
    "Francesco", "Alessandro", "Giovanni", "Roberto", "Stefano", "Paolo",
    "Antonio", "Davide", "Matteo", "Simone", "Federico", "Niccolò",
    "Nicolò", "Gianluca", "Pierluigi", "Raffaele", "Salvatore", "Emanuele",
    "Lorenzo", "Riccardo", "Gabriele", "Elia", "Mattia", "Tommaso");

WL(w_female, "Anna", "Giulia", "Francesca", "Chiara", "Sara", "Laura",
    "Valentina", "Elena", "Alessandra", "Silvia", "Federica", "Martina",
    "Paola", "Roberta", "Cristina", "Ilaria", "Noemi", "Aurora",
    "Beatrice", "Lucrezia", "Benedetta", "Agnese", "Maria Grazia");

WL(w_business, "Studio Dentistico", "Studio Odontoiatrico",
    "Laboratorio Odontotecnico", "Clinica Dentale", "Poliambulatorio",
    "Centro Medico", "Studio Associato", "Ambulatorio", "Odontoiatria",
    "Centro Implantologico", "Deposito Dentale", "Studio Medico",
    "Casa di Cura", "Centro Ortodontico", "Dental Service", "Farmacia",
    "Parafarmacia", "Laboratorio");

WL(w_legal, "S.r.l.", "S.r.l.", "S.r.l.", "S.n.c.", "S.a.s.", "S.p.A.",
    "Srls", "S.R.L.", "SRL", "& C. S.n.c.", "& Figli S.r.l.", "Soc. Coop.",
    "S.T.P. S.r.l.");

WL(w_fancy, "Il Sorriso", "Sant'Anna", "San Giorgio", "Santa Lucia",
    "Bianco Smalto", "Dent-Art", "L'Àncora", "Dental Più", "OdontoSalus",
    "Sorriso & Salute", "\"Il Molare\"", "Èlite Dental", "Città Giardino",
    "Gengive <Sane>", "Villa Serena", "Dentalia", "L'Incisivo",
    "Perla Bianca", "Salus Oris", "Smile 2000", "Crescènzo", "Mediterranea",
    "A&B Dental", "Dott. Sorriso");

WL(w_streettype, "Via", "Via", "Via", "Viale", "Piazza", "Corso",
    "Largo", "Vicolo", "Piazzale", "Strada Statale", "Località", "Contrada",
    "Borgo", "Lungomare", "Galleria");

WL(w_streetname, "Giuseppe Garibaldi", "Roma", "Dante Alighieri",
    "Giuseppe Mazzini", "Vittorio Emanuele II", "Cavour", "Camillo Benso",
    "XX Settembre", "IV Novembre", "della Repubblica", "dell'Unità d'Italia",
    "Gramsci", "Matteotti", "Alessandro Manzoni", "Leonardo da Vinci",
    "Europa", "della Libertà", "San Francesco d'Assisi", "dei Mille",
    "Aldo Moro", "Papa Giovanni XXIII", "Kennedy", "Marconi",
    "Sant'Antonio", "delle Industrie", "dell'Artigianato", "Trento e Trieste",
    "Nazionale", "Emilia", "Aurelia", "Flaminia", "Appia Nuova", "del Corso",
    "Niccolò Tommaseo", "Gabriele D'Annunzio", "Ugo Foscolo", "Pietro Nenni",
    "Cesare Battisti", "Nazario Sauro", "Filippo Turati", "Duca degli Abruzzi",
    "Città di Castello", "Santa Maria della Croce", "Mercato Vecchio");

WL(w_terms, "Franco destino", "Porto franco", "Porto assegnato",
    "Franco fabbrica", "Franco vettore", "Reso franco", "DAP", "EXW",
    "CPT - Trasporto pagato fino a", "Ritiro in sede", "Corriere espresso",
    "Franco destino (spese > 150,00 € a carico ns.)");

WL(w_notes, "Ufficio acquisti", "Amministrazione", "Reparto sterilizzazione",
    "Segreteria", "Magazzino", "Direzione sanitaria", "Ufficio contabilità",
    "Resp. laboratorio", "c/o Portineria", "Accettazione merci");

WL(w_sentences,
    "Consegnare esclusivamente dal lunedì al venerdì, dalle 8:30 alle 12:30 e dalle 14:30 alle 18:00.",
    "Citofonare \"Studio\" al secondo piano; in caso di assenza lasciare la merce in portineria.",
    "Il cliente richiede fattura elettronica con codice SDI e copia di cortesia via PEC.",
    "Attenzione: accesso per mezzi pesanti < 3,5 t, ZTL attiva nei giorni festivi & prefestivi.",
    "Pagamento a 60 gg d.f.f.m.; sconto 2% per pagamento anticipato entro 10 gg.",
    "Non accettare resi senza autorizzazione scritta dell'ufficio commerciale.",
    "Strumento monouso, sterile, confezionato singolarmente in blister a norma ISO 6360.",
    "Gambo in acciaio inossidabile, parte lavorante con granulometria media (Ø 1,2 mm).",
    "Velocità consigliata: 160.000 giri/min con irrigazione abbondante (> 50 ml/min).",
    "Adatto alla preparazione di corone e ponti, rifinitura di margini e superfici occlusali.",
    "Non riutilizzare: il prodotto è progettato per un singolo paziente; smaltire secondo le norme vigenti.",
    "Conservare a temperatura ambiente, lontano da fonti di calore e dalla luce solare diretta.",
    "Compatibile con i contrangoli dei principali produttori; verificare l'attacco prima dell'uso.",
    "Forma a fiamma, punta arrotondata: ideale per l'apertura di solchi & fessure.",
    "Confezione da banco con espositore; prezzo consigliato al pubblico IVA inclusa.",
    "Prodotto soggetto a disponibilità limitata: i tempi di consegna possono variare di 3-5 giorni lavorativi.",
    "Il codice \"ART\" sostituisce il precedente; l'etichetta riporta il vecchio riferimento fino a esaurimento.",
    "Utilizzare con pressione leggera (< 2 N) per evitare il surriscaldamento della polpa.");

WL(w_ptypes, "FRESA DIAMANTATA", "FRESA CARB.", "FRESA IN CARBURO",
    "GOMMINO LUC.", "LUCIDANTE", "DISCO SEPARATORE", "STRUMENTO ENDO",
    "LIMA ENDO", "PUNTA TRAPANO", "FRESA CHIR.", "FRESA PER LAB.",
    "SPAZZOLINO PROF.", "PASTA PROFILASSI", "KIT RIFINITURA", "MANDRINO",
    "COPPETTA LUC.", "FRESA ZIRCONIA", "PUNTA ULTRASUONI",
    "Lucidante per ceramica", "Fresa diamantata grana fine",
    "KIT \"ENDO\" <PRO>", "FRESA Ø 1,4 & LUC.");

WL(w_pattrs, "FG", "RA", "HP", "CA", "FG L", "RA-XL", "HP.S", "FG GROSSA",
    "FG FINE", "RA EXTRA-FINE", "FG.XF", "HP - MEDIA");

WL(w_groups, "FRE-DIA", "FRE-CAR", "LUC", "ENDO", "CHIR", "LAB", "PROF",
    "IMPL", "ACC", "ORTO", "ZIR", "US");

WL(w_packages, "1 pz", "5 pz", "10 pz", "Conf. da 5", "Conf. da 10",
    "Conf. 100 pz", "Blister 6 pz", "Kit 12 pz", "Scatola 50 pz",
    "Flacone 200 ml", "2 x 5 pz", "Espositore 25 pz");

WL(w_units, "PZ", "CONF", "PZ", "KIT", "SCATOLA", "pz.", "ml", "CF");

WL(w_pricelists, "Listino base", "Listino rivenditori", "Listino studi",
    "Promo \"Primavera\" 2025", "Listino laboratori & cliniche",
    "Prezzi netti <riservati>", "Campagna Più Sorrisi", "Listino export",
    "Listino università", "Offerta lancio novità");

WL(w_refs, "Rif. ordine telefonico", "Vs. ordine n. 12/A", "Fiera Expodental",
    "Campagna \"Sorriso\"", "Ordine urgente!", "Conferma via e-mail",
    "Sostituzione merce difettosa", "Rif. preventivo 2025/118",
    "Riordino mensile", "Promo <10% & omaggio>", "Ordine dell'agente",
    "Ritiro c/o fiera");

WL(w_extra_text, "Nord", "Sud", "Centro", "Isole", "Estero", "AGT01",
    "AGT02", "admin", "sistema", "it-IT", "en-US", "DIM-01", "DIM-07",
    "Nota riservata", "Verificare fido", "");

const struct city w_cities[] = {
	{ "Milano", "20121", "MI", "02" }, { "Roma", "00184", "RM", "06" },
	{ "Torino", "10121", "TO", "011" }, { "Napoli", "80133", "NA", "081" },
	{ "Bologna", "40121", "BO", "051" }, { "Firenze", "50122", "FI", "055" },
	{ "Forlì", "47121", "FC", "0543" }, { "Cantù", "22063", "CO", "031" },
	{ "Città di Castello", "06012", "PG", "075" },
	{ "L'Aquila", "67100", "AQ", "0862" },
	{ "Reggio nell'Emilia", "42121", "RE", "0522" },
	{ "Nardò", "73048", "LE", "0833" }, { "Paternò", "95047", "CT", "095" },
	{ "Sant'Agata de' Goti", "82019", "BN", "0823" },
	{ "Cefalù", "90015", "PA", "0921" }, { "Genova", "16121", "GE", "010" },
	{ "Verona", "37121", "VR", "045" }, { "Padova", "35122", "PD", "049" },
	{ "Bari", "70121", "BA", "080" }, { "Palermo", "90133", "PA", "091" },
	{ "Cagliari", "09124", "CA", "070" }, { "Trieste", "34121", "TS", "040" },
	{ "Bolzano", "39100", "BZ", "0471" }, { "Aosta", "11100", "AO", "0165" },
	{ "Lecce", "73100", "LE", "0832" }, { "Brescia", "25121", "BS", "030" },
	{ "Bergamo", "24121", "BG", "035" }, { "Perugia", "06121", "PG", "075" },
	{ "Ancona", "60121", "AN", "071" }, { "Pescara", "65121", "PE", "085" },
	{ "Sassari", "07100", "SS", "079" }, { "Modena", "41121", "MO", "059" },
	{ "Parma", "43121", "PR", "0521" }, { "Rimini", "47921", "RN", "0541" },
	{ "Erbusco", "25030", "BS", "030" }, { "Mogliano Veneto", "31021", "TV", "041" },
	{ "Vigevano", "27029", "PV", "0381" }, { "Portofino", "16034", "GE", "0185" },
};
const size_t w_ncities = nitems(w_cities);

/* A random entry of a list. */
const char *
pick(struct rng *r, const struct wlist *l)
{
	return l->w[rng_below(r, (uint32_t)l->n)];
}
