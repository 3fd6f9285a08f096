/* generate.c: writes a synthetic corpus shaped like the agency's site (articles,
 * seminar pages and listing pages in Swedish, as HTML files or JSON lines) for
 * tests and benchmarks. The output depends only on N, --seed, --jsonl and the
 * --words file: an own PRNG, integer-only arithmetic and no locale, so every run
 * on every machine is byte-identical, and page i is the same whatever N is
 * (N >= 16). With --words the prose draws a long tail of words, inflections,
 * compounds and names from hunspell-sv, so that a corpus has as many distinct
 * words as a real site's and per-word caches miss as often as they would there.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "hash.h"

#define MAX_PAGES    1000000u
#define BUCKET_SIZE  1000u
#define DEFAULT_SEED 1u
#define SITE_URL     "https://www.delmos.example/"
#define SITE_NAME    "Delegationen mot segregation"
#define NELEM(a)     (sizeof(a) / sizeof((a)[0]))
#define MAX_BLOCKS   24
#define TEASER_WORDS 30
#define NRECENT      24
#define LISTING_WINDOW 2000u

/* ------------------------------------------------------------------------ */
/* Word lists. Each list is ordered from the most to the least frequent: the
 * generator draws from it with a Zipf-like law, as words are spread in real
 * text, so that term statistics in benchmarks look like the site's. */

struct town {
    const char *name, *org;
    const char *districts[6];   /* NULL-terminated; empty: generic districts */
};

static const struct town towns[] = {
    {"Stockholm", "Stockholms stad", {"Rinkeby", "Tensta", "Husby", "Skärholmen", "Hagsätra", NULL}},
    {"Malmö", "Malmö stad", {"Rosengård", "Holma", "Seved", "Lindängen", "Kroksbäck", NULL}},
    {"Göteborg", "Göteborgs Stad", {"Hjällbo", "Hammarkullen", "Bergsjön", "Biskopsgården", "Gårdsten", NULL}},
    {"Uppsala", "Uppsala kommun", {"Gottsunda", "Valsätra", "Stenhagen", NULL}},
    {"Örebro", "Örebro kommun", {"Vivalla", "Baronbackarna", "Oxhagen", NULL}},
    {"Södertälje", "Södertälje kommun", {"Ronna", "Hovsjö", "Geneta", NULL}},
    {"Borlänge", "Borlänge kommun", {"Tjärna ängar", "Jakobsgårdarna", NULL}},
    {"Umeå", "Umeå kommun", {"Ålidhem", "Tomtebo", NULL}},
    {"Västerås", "Västerås stad", {"Bäckby", "Råby", "Skallberget", NULL}},
    {"Norrköping", "Norrköpings kommun", {"Navestad", "Hageby", "Klockaretorpet", NULL}},
    {"Linköping", "Linköpings kommun", {"Skäggetorp", "Ryd", "Berga", NULL}},
    {"Helsingborg", "Helsingborgs stad", {"Drottninghög", "Dalhem", "Närlunda", NULL}},
    {"Eskilstuna", "Eskilstuna kommun", {"Lagersberg", "Fröslunda", "Skiftinge", NULL}},
    {"Gävle", "Gävle kommun", {"Sätra", "Andersberg", "Nordost", NULL}},
    {"Växjö", "Växjö kommun", {"Araby", "Dalbo", NULL}},
    {"Luleå", "Luleå kommun", {"Lerbäcken", "Hertsön", NULL}},
    {"Botkyrka", "Botkyrka kommun", {"Alby", "Fittja", "Hallunda", NULL}},
    {"Jönköping", "Jönköpings kommun", {"Råslätt", "Österängen", NULL}},
    {"Trollhättan", "Trollhättans stad", {"Kronogården", "Sylte", NULL}},
    {"Landskrona", "Landskrona stad", {"Öster", "Centrum", NULL}},
    {"Borås", "Borås Stad", {"Hässleholmen", "Norrby", "Hulta", NULL}},
    {"Halmstad", "Halmstads kommun", {"Andersberg", "Vallås", "Linehed", NULL}},
    {"Karlstad", "Karlstads kommun", {"Kronoparken", NULL}},
    {"Sundsvall", "Sundsvalls kommun", {"Nacksta", "Skönsberg", NULL}},
    {"Kristianstad", "Kristianstads kommun", {"Gamlegården", "Näsby", NULL}},
    {"Huddinge", "Huddinge kommun", {"Flemingsberg", "Vårby", NULL}},
    {"Järfälla", "Järfälla kommun", {"Jakobsberg", "Kallhäll", NULL}},
    {"Haninge", "Haninge kommun", {"Jordbro", NULL}},
    {"Sigtuna", "Sigtuna kommun", {"Märsta", "Valsta", NULL}},
    {"Nacka", "Nacka kommun", {"Fisksätra", NULL}},
    {"Lund", "Lunds kommun", {"Norra Fäladen", "Linero", NULL}},
    {"Kalmar", "Kalmar kommun", {"Norrliden", NULL}},
    {"Karlskrona", "Karlskrona kommun", {"Kungsmarken", NULL}},
    {"Nyköping", "Nyköpings kommun", {"Brandkärr", NULL}},
    {"Uddevalla", "Uddevalla kommun", {"Tureborg", NULL}},
    {"Skövde", "Skövde kommun", {"Södra Ryd", NULL}},
    {"Östersund", "Östersunds kommun", {"Odensala", NULL}},
    {"Motala", "Motala kommun", {NULL}},
    {"Falun", "Falu kommun", {NULL}},
    {"Upplands Väsby", "Upplands Väsby kommun", {NULL}},
    {"Vänersborg", "Vänersborgs kommun", {"Holmängen", NULL}},
    {"Ludvika", "Ludvika kommun", {NULL}},
    {"Kiruna", "Kiruna kommun", {NULL}},
    {"Boden", "Bodens kommun", {NULL}},
    {"Sandviken", "Sandvikens kommun", {NULL}},
    {"Karlshamn", "Karlshamns kommun", {NULL}},
    {"Värnamo", "Värnamo kommun", {NULL}},
    {"Ljungby", "Ljungby kommun", {NULL}},
    {"Hultsfred", "Hultsfreds kommun", {NULL}},
    {"Filipstad", "Filipstads kommun", {NULL}},
    {"Olofström", "Olofströms kommun", {NULL}},
    {"Avesta", "Avesta kommun", {NULL}},
    {"Lysekil", "Lysekils kommun", {NULL}},
    {"Mjölby", "Mjölby kommun", {NULL}},
};

/* Used when a town has no named districts of its own. */
static const char *const generic_districts[] = {
    "centrala ", "norra ", "södra ", "östra ", "västra ",
};

static const char *const organizers[] = {
    "Delegationen mot segregation", "Sveriges Kommuner och Regioner", "Boverket",
    "Nationella rådet", "IQ Samhällsbyggnad", "Länsstyrelsen Skåne", "Skolverket",
    "Folkhälsomyndigheten", "Mötesplats Social Hållbarhet",
    "Länsstyrelsen i Stockholms län", "Länsstyrelsen Västra Götaland",
    "Tillväxtverket", "Arbetsförmedlingen", "Malmö universitet",
    "Göteborgs universitet", "Rädda Barnen & Fryshuset", "Allmännyttan",
    "Institutet för framtidsstudier", "Brottsförebyggande rådet", "Fryshuset",
    "Myndigheten för ungdoms- och civilsamhällesfrågor", "Finsam Sverige",
    "Jämställdhetsmyndigheten", "Rädda Barnen", "Studieförbunden i samverkan",
};

struct theme { const char *indef, *def; };

/* Topics in general: what is mapped, followed up or written about. */
static const struct theme themes[] = {
    {"segregation", "segregationen"},
    {"bostadssegregation", "bostadssegregationen"},
    {"levnadsvillkor", "levnadsvillkoren"},
    {"socioekonomisk segregation", "den socioekonomiska segregationen"},
    {"skolsegregation", "skolsegregationen"},
    {"trångboddhet", "trångboddheten"},
    {"arbetslöshet", "arbetslösheten"},
    {"skolresultat", "skolresultaten"},
    {"delaktighet", "delaktigheten"},
    {"boendesegregation", "boendesegregationen"},
    {"social hållbarhet", "den sociala hållbarheten"},
    {"inkomstskillnader", "inkomstskillnaderna"},
    {"integration", "integrationen"},
    {"folkhälsa", "folkhälsan"},
    {"valdeltagande", "valdeltagandet"},
    {"sysselsättning", "sysselsättningen"},
    {"lärarbrist", "lärarbristen"},
    {"samhällsorientering", "samhällsorienteringen"},
};

/* What is to be reduced or broken ("motverka ...", "insatser mot ..."). */
static const struct theme segregations[] = {
    {"segregation", "segregationen"},
    {"bostadssegregation", "bostadssegregationen"},
    {"socioekonomisk segregation", "den socioekonomiska segregationen"},
    {"skolsegregation", "skolsegregationen"},
    {"boendesegregation", "boendesegregationen"},
    {"inkomstskillnader", "inkomstskillnaderna"},
    {"ekonomisk segregation", "den ekonomiska segregationen"},
};

/* What is to be strengthened ("stärka ...", "skillnader i ..."). */
static const struct theme goods[] = {
    {"delaktighet", "delaktigheten"},
    {"trygghet", "tryggheten"},
    {"sysselsättning", "sysselsättningen"},
    {"social hållbarhet", "den sociala hållbarheten"},
    {"folkhälsa", "folkhälsan"},
    {"valdeltagande", "valdeltagandet"},
    {"integration", "integrationen"},
    {"språkutveckling", "språkutvecklingen"},
    {"demokrati", "demokratin"},
    {"jämlikhet", "jämlikheten"},
    {"samhällsengagemang", "samhällsengagemanget"},
};

/* Social problems: the themes that fit "lever med ...", "... har ökat". */
static const struct theme problems[] = {
    {"arbetslöshet", "arbetslösheten"},
    {"trångboddhet", "trångboddheten"},
    {"ekonomisk utsatthet", "den ekonomiska utsattheten"},
    {"lärarbrist", "lärarbristen"},
    {"otrygghet", "otryggheten"},
    {"barnfattigdom", "barnfattigdomen"},
    {"bostadsbrist", "bostadsbristen"},
    {"ohälsa", "ohälsan"},
    {"utanförskap", "utanförskapet"},
    {"kriminalitet", "kriminaliteten"},
    {"ensamhet", "ensamheten"},
    {"skolfrånvaro", "skolfrånvaron"},
};

struct noun {
    bool neuter;          /* ett-word */
    const char *f[4];     /* singular, singular definite, plural, plural definite */
};

/* R: reports and documents */
static const struct noun nouns_r[] = {
    {false, {"kartläggning", "kartläggningen", "kartläggningar", "kartläggningarna"}},
    {false, {"rapport", "rapporten", "rapporter", "rapporterna"}},
    {false, {"förstudie", "förstudien", "förstudier", "förstudierna"}},
    {false, {"analys", "analysen", "analyser", "analyserna"}},
    {false, {"behovsanalys", "behovsanalysen", "behovsanalyser", "behovsanalyserna"}},
    {false, {"utredning", "utredningen", "utredningar", "utredningarna"}},
    {true, {"kunskapsunderlag", "kunskapsunderlaget", "kunskapsunderlag", "kunskapsunderlagen"}},
    {false, {"handlingsplan", "handlingsplanen", "handlingsplaner", "handlingsplanerna"}},
    {false, {"undersökning", "undersökningen", "undersökningar", "undersökningarna"}},
    {false, {"strategi", "strategin", "strategier", "strategierna"}},
    {false, {"lägesbild", "lägesbilden", "lägesbilder", "lägesbilderna"}},
    {false, {"delrapport", "delrapporten", "delrapporter", "delrapporterna"}},
    {false, {"slutrapport", "slutrapporten", "slutrapporter", "slutrapporterna"}},
    {false, {"kunskapsöversikt", "kunskapsöversikten", "kunskapsöversikter", "kunskapsöversikterna"}},
    {false, {"uppföljningsrapport", "uppföljningsrapporten", "uppföljningsrapporter", "uppföljningsrapporterna"}},
};

/* A: actors and organisations */
static const struct noun nouns_a[] = {
    {false, {"kommun", "kommunen", "kommuner", "kommunerna"}},
    {false, {"aktör", "aktören", "aktörer", "aktörerna"}},
    {false, {"organisation", "organisationen", "organisationer", "organisationerna"}},
    {false, {"förening", "föreningen", "föreningar", "föreningarna"}},
    {false, {"myndighet", "myndigheten", "myndigheter", "myndigheterna"}},
    {false, {"skola", "skolan", "skolor", "skolorna"}},
    {true, {"bostadsbolag", "bostadsbolaget", "bostadsbolag", "bostadsbolagen"}},
    {false, {"stadsdelsförvaltning", "stadsdelsförvaltningen", "stadsdelsförvaltningar", "stadsdelsförvaltningarna"}},
    {false, {"fastighetsägare", "fastighetsägaren", "fastighetsägare", "fastighetsägarna"}},
    {false, {"region", "regionen", "regioner", "regionerna"}},
    {true, {"studieförbund", "studieförbundet", "studieförbund", "studieförbunden"}},
    {false, {"civilsamhällesorganisation", "civilsamhällesorganisationen", "civilsamhällesorganisationer", "civilsamhällesorganisationerna"}},
    {false, {"arbetsgivare", "arbetsgivaren", "arbetsgivare", "arbetsgivarna"}},
    {false, {"idrottsförening", "idrottsföreningen", "idrottsföreningar", "idrottsföreningarna"}},
    {false, {"folkhögskola", "folkhögskolan", "folkhögskolor", "folkhögskolorna"}},
    {false, {"länsstyrelse", "länsstyrelsen", "länsstyrelser", "länsstyrelserna"}},
    {false, {"förvaltning", "förvaltningen", "förvaltningar", "förvaltningarna"}},
};

/* F: residents */
static const struct noun nouns_f[] = {
    {false, {"invånare", "invånaren", "invånare", "invånarna"}},
    {true, {"barn", "barnet", "barn", "barnen"}},
    {false, {"ungdom", "ungdomen", "ungdomar", "ungdomarna"}},
    {false, {"elev", "eleven", "elever", "eleverna"}},
    {false, {"familj", "familjen", "familjer", "familjerna"}},
    {false, {"förälder", "föräldern", "föräldrar", "föräldrarna"}},
    {false, {"hyresgäst", "hyresgästen", "hyresgäster", "hyresgästerna"}},
    {false, {"kvinna", "kvinnan", "kvinnor", "kvinnorna"}},
    {false, {"pensionär", "pensionären", "pensionärer", "pensionärerna"}},
};

/* Y: professionals */
static const struct noun nouns_y[] = {
    {false, {"lärare", "läraren", "lärare", "lärarna"}},
    {false, {"forskare", "forskaren", "forskare", "forskarna"}},
    {false, {"tjänsteman", "tjänstemannen", "tjänstemän", "tjänstemännen"}},
    {false, {"politiker", "politikern", "politiker", "politikerna"}},
    {false, {"beslutsfattare", "beslutsfattaren", "beslutsfattare", "beslutsfattarna"}},
    {false, {"rektor", "rektorn", "rektorer", "rektorerna"}},
    {false, {"socialsekreterare", "socialsekreteraren", "socialsekreterare", "socialsekreterarna"}},
    {false, {"fritidsledare", "fritidsledaren", "fritidsledare", "fritidsledarna"}},
    {false, {"samhällsplanerare", "samhällsplaneraren", "samhällsplanerare", "samhällsplanerarna"}},
    {false, {"projektledare", "projektledaren", "projektledare", "projektledarna"}},
};

/* I: efforts and initiatives */
static const struct noun nouns_i[] = {
    {false, {"insats", "insatsen", "insatser", "insatserna"}},
    {true, {"projekt", "projektet", "projekt", "projekten"}},
    {false, {"satsning", "satsningen", "satsningar", "satsningarna"}},
    {false, {"metod", "metoden", "metoder", "metoderna"}},
    {true, {"samarbete", "samarbetet", "samarbeten", "samarbetena"}},
    {false, {"åtgärd", "åtgärden", "åtgärder", "åtgärderna"}},
    {true, {"uppföljningssystem", "uppföljningssystemet", "uppföljningssystem", "uppföljningssystemen"}},
    {true, {"kartläggningsarbete", "kartläggningsarbetet", "kartläggningsarbeten", "kartläggningsarbetena"}},
    {true, {"verktyg", "verktyget", "verktyg", "verktygen"}},
    {true, {"nätverk", "nätverket", "nätverk", "nätverken"}},
    {true, {"program", "programmet", "program", "programmen"}},
    {true, {"initiativ", "initiativet", "initiativ", "initiativen"}},
    {false, {"mötesplats", "mötesplatsen", "mötesplatser", "mötesplatserna"}},
    {true, {"pilotprojekt", "pilotprojektet", "pilotprojekt", "pilotprojekten"}},
    {false, {"medborgardialog", "medborgardialogen", "medborgardialoger", "medborgardialogerna"}},
    {false, {"arbetsmarknadsinsats", "arbetsmarknadsinsatsen", "arbetsmarknadsinsatser", "arbetsmarknadsinsatserna"}},
    {false, {"trygghetsvandring", "trygghetsvandringen", "trygghetsvandringar", "trygghetsvandringarna"}},
    {true, {"språkcafé", "språkcaféet", "språkcaféer", "språkcaféerna"}},
    {false, {"föräldraträff", "föräldraträffen", "föräldraträffar", "föräldraträffarna"}},
    {false, {"praktikplats", "praktikplatsen", "praktikplatser", "praktikplatserna"}},
    {true, {"sommarjobb", "sommarjobbet", "sommarjobb", "sommarjobben"}},
};

/* L: places */
static const struct noun nouns_l[] = {
    {true, {"område", "området", "områden", "områdena"}},
    {false, {"stadsdel", "stadsdelen", "stadsdelar", "stadsdelarna"}},
    {true, {"bostadsområde", "bostadsområdet", "bostadsområden", "bostadsområdena"}},
    {false, {"mötesplats", "mötesplatsen", "mötesplatser", "mötesplatserna"}},
    {false, {"fritidsgård", "fritidsgården", "fritidsgårdar", "fritidsgårdarna"}},
    {true, {"bibliotek", "biblioteket", "bibliotek", "biblioteken"}},
    {false, {"lokal", "lokalen", "lokaler", "lokalerna"}},
    {false, {"skolgård", "skolgården", "skolgårdar", "skolgårdarna"}},
    {true, {"torg", "torget", "torg", "torgen"}},
    {true, {"kvarter", "kvarteret", "kvarter", "kvarteren"}},
};

/* E: events */
static const struct noun nouns_e[] = {
    {true, {"seminarium", "seminariet", "seminarier", "seminarierna"}},
    {false, {"konferens", "konferensen", "konferenser", "konferenserna"}},
    {false, {"workshop", "workshopen", "workshoppar", "workshopparna"}},
    {true, {"webbinarium", "webbinariet", "webbinarier", "webbinarierna"}},
    {true, {"dialogmöte", "dialogmötet", "dialogmöten", "dialogmötena"}},
    {false, {"temadag", "temadagen", "temadagar", "temadagarna"}},
    {false, {"nätverksträff", "nätverksträffen", "nätverksträffar", "nätverksträffarna"}},
    {false, {"utbildning", "utbildningen", "utbildningar", "utbildningarna"}},
};

/* X: abstract nouns */
static const struct noun nouns_x[] = {
    {false, {"utmaning", "utmaningen", "utmaningar", "utmaningarna"}},
    {false, {"möjlighet", "möjligheten", "möjligheter", "möjligheterna"}},
    {false, {"erfarenhet", "erfarenheten", "erfarenheter", "erfarenheterna"}},
    {false, {"förutsättning", "förutsättningen", "förutsättningar", "förutsättningarna"}},
    {true, {"resultat", "resultatet", "resultat", "resultaten"}},
    {false, {"skillnad", "skillnaden", "skillnader", "skillnaderna"}},
    {true, {"behov", "behovet", "behov", "behoven"}},
    {false, {"lärdom", "lärdomen", "lärdomar", "lärdomarna"}},
    {true, {"mål", "målet", "mål", "målen"}},
    {false, {"framgångsfaktor", "framgångsfaktorn", "framgångsfaktorer", "framgångsfaktorerna"}},
    {false, {"slutsats", "slutsatsen", "slutsatser", "slutsatserna"}},
    {false, {"styrka", "styrkan", "styrkor", "styrkorna"}},
    {false, {"klyfta", "klyftan", "klyftor", "klyftorna"}},
};

/* C: compounds made of a first part and a head, as Swedish forms them
 * freely ("trygghetsarbete", "ungdomsforum"): hundreds of rare words that
 * give the vocabulary a realistic long tail and test compound splitting. */
static const char *const compound_firsts[] = {
    "bostads", "skol", "stadsdels", "integrations", "trygghets", "arbetsmarknads",
    "fritids", "ungdoms", "kommun", "förenings", "språk", "kunskaps", "hälso",
    "familje", "samverkans", "utvecklings", "uppföljnings", "kartläggnings",
    "demokrati", "läns", "planerings", "kultur", "idrotts", "föräldra",
    "närings", "stads", "områdes", "medborgar", "segregations", "jämlikhets",
    "folkhälso", "grannskaps", "civilsamhälles", "social",
};

static const struct noun compound_heads[] = {
    {true, {"arbete", "arbetet", "arbeten", "arbetena"}},
    {false, {"plan", "planen", "planer", "planerna"}},
    {false, {"insats", "insatsen", "insatser", "insatserna"}},
    {true, {"projekt", "projektet", "projekt", "projekten"}},
    {false, {"strategi", "strategin", "strategier", "strategierna"}},
    {false, {"verksamhet", "verksamheten", "verksamheter", "verksamheterna"}},
    {true, {"nätverk", "nätverket", "nätverk", "nätverken"}},
    {false, {"satsning", "satsningen", "satsningar", "satsningarna"}},
    {true, {"program", "programmet", "program", "programmen"}},
    {true, {"råd", "rådet", "råd", "råden"}},
    {false, {"grupp", "gruppen", "grupper", "grupperna"}},
    {true, {"forum", "forumet", "forum", "forumen"}},
    {false, {"modell", "modellen", "modeller", "modellerna"}},
    {false, {"process", "processen", "processer", "processerna"}},
    {true, {"underlag", "underlaget", "underlag", "underlagen"}},
    {false, {"dialog", "dialogen", "dialoger", "dialogerna"}},
    {false, {"samordning", "samordningen", "samordningar", "samordningarna"}},
    {false, {"fond", "fonden", "fonder", "fonderna"}},
    {true, {"team", "teamet", "team", "teamen"}},
    {true, {"kontor", "kontoret", "kontor", "kontoren"}},
    {true, {"uppdrag", "uppdraget", "uppdrag", "uppdragen"}},
    {false, {"utredning", "utredningen", "utredningar", "utredningarna"}},
    {false, {"chef", "chefen", "chefer", "cheferna"}},
    {true, {"mål", "målet", "mål", "målen"}},
};

struct nclass { char letter; const struct noun *v; uint32_t n; };

static const struct nclass nclasses[] = {
    {'R', nouns_r, NELEM(nouns_r)}, {'A', nouns_a, NELEM(nouns_a)},
    {'F', nouns_f, NELEM(nouns_f)}, {'Y', nouns_y, NELEM(nouns_y)},
    {'I', nouns_i, NELEM(nouns_i)}, {'L', nouns_l, NELEM(nouns_l)},
    {'E', nouns_e, NELEM(nouns_e)}, {'X', nouns_x, NELEM(nouns_x)},
    {'C', compound_heads, NELEM(compound_heads)},
};
#define CLASS_COMPOUND (NCLASSES - 1)
#define NCLASSES NELEM(nclasses)

struct adj { const char *utr, *neu, *pl; };   /* en-form, ett-form, plural/definite */

static const struct adj adjs[] = {
    {"viktig", "viktigt", "viktiga"},
    {"ny", "nytt", "nya"},
    {"långsiktig", "långsiktigt", "långsiktiga"},
    {"stor", "stort", "stora"},
    {"lokal", "lokalt", "lokala"},
    {"nationell", "nationellt", "nationella"},
    {"gemensam", "gemensamt", "gemensamma"},
    {"socioekonomisk", "socioekonomiskt", "socioekonomiska"},
    {"omfattande", "omfattande", "omfattande"},
    {"god", "gott", "goda"},
    {"tydlig", "tydligt", "tydliga"},
    {"regional", "regionalt", "regionala"},
    {"hållbar", "hållbart", "hållbara"},
    {"systematisk", "systematiskt", "systematiska"},
    {"bred", "brett", "breda"},
    {"särskild", "särskilt", "särskilda"},
    {"kommunal", "kommunalt", "kommunala"},
    {"konkret", "konkret", "konkreta"},
    {"framgångsrik", "framgångsrikt", "framgångsrika"},
    {"befintlig", "befintligt", "befintliga"},
    {"fortsatt", "fortsatt", "fortsatta"},
    {"strategisk", "strategiskt", "strategiska"},
    {"förebyggande", "förebyggande", "förebyggande"},
    {"ideell", "ideellt", "ideella"},
    {"kunskapsbaserad", "kunskapsbaserat", "kunskapsbaserade"},
    {"angelägen", "angeläget", "angelägna"},
    {"treårig", "treårigt", "treåriga"},
    {"första", "första", "första"},
    {"tvärsektoriell", "tvärsektoriellt", "tvärsektoriella"},
    {"digital", "digitalt", "digitala"},
    {"jämlik", "jämlikt", "jämlika"},
    {"aktuell", "aktuellt", "aktuella"},
    {"central", "centralt", "centrala"},
    {"ekonomisk", "ekonomiskt", "ekonomiska"},
    {"social", "socialt", "sociala"},
    {"kraftfull", "kraftfullt", "kraftfulla"},
    {"effektiv", "effektivt", "effektiva"},
    {"relevant", "relevant", "relevanta"},
    {"ambitiös", "ambitiöst", "ambitiösa"},
};

struct verb { const char *inf, *pres, *sup, *past; };

/* Verbs of study, fit for any object. */
static const struct verb verbs_study[] = {
    {"kartlägga", "kartlägger", "kartlagt", "kartlade"},
    {"följa upp", "följer upp", "följt upp", "följde upp"},
    {"analysera", "analyserar", "analyserat", "analyserade"},
    {"undersöka", "undersöker", "undersökt", "undersökte"},
    {"belysa", "belyser", "belyst", "belyste"},
    {"beskriva", "beskriver", "beskrivit", "beskrev"},
    {"mäta", "mäter", "mätt", "mätte"},
    {"jämföra", "jämför", "jämfört", "jämförde"},
    {"synliggöra", "synliggör", "synliggjort", "synliggjorde"},
    {"identifiera", "identifierar", "identifierat", "identifierade"},
    {"granska", "granskar", "granskat", "granskade"},
    {"utvärdera", "utvärderar", "utvärderat", "utvärderade"},
    {"redovisa", "redovisar", "redovisat", "redovisade"},
    {"diskutera", "diskuterar", "diskuterat", "diskuterade"},
    {"lyfta fram", "lyfter fram", "lyft fram", "lyfte fram"},
};

/* Verbs against segregation and problems. */
static const struct verb verbs_counter[] = {
    {"minska", "minskar", "minskat", "minskade"},
    {"motverka", "motverkar", "motverkat", "motverkade"},
    {"bryta", "bryter", "brutit", "bröt"},
    {"förebygga", "förebygger", "förebyggt", "förebyggde"},
    {"vända", "vänder", "vänt", "vände"},
};

/* Verbs that build up efforts and good things. */
static const struct verb verbs_build[] = {
    {"stärka", "stärker", "stärkt", "stärkte"},
    {"utveckla", "utvecklar", "utvecklat", "utvecklade"},
    {"främja", "främjar", "främjat", "främjade"},
    {"förbättra", "förbättrar", "förbättrat", "förbättrade"},
    {"samordna", "samordnar", "samordnat", "samordnade"},
    {"bygga upp", "bygger upp", "byggt upp", "byggde upp"},
    {"förankra", "förankrar", "förankrat", "förankrade"},
    {"planera", "planerar", "planerat", "planerade"},
    {"genomföra", "genomför", "genomfört", "genomförde"},
    {"prioritera", "prioriterar", "prioriterat", "prioriterade"},
    {"driva", "driver", "drivit", "drev"},
    {"finansiera", "finansierar", "finansierat", "finansierade"},
    {"sprida", "sprider", "spridit", "spred"},
    {"stödja", "stödjer", "stött", "stödde"},
    {"vidareutveckla", "vidareutvecklar", "vidareutvecklat", "vidareutvecklade"},
};

static const char *const first_names[] = {
    "Anna", "Erik", "Maria", "Johan", "Sara", "Lars", "Karin", "Ahmed", "Fatima",
    "Mikael", "Eva", "Mohammed", "Lena", "Peter", "Elin", "Amir", "Hanna", "Oskar",
    "Leyla", "Nils", "Sofia", "Ali", "Ida", "Hassan", "Ulrika", "Jonas", "Zeynep",
};

static const char *const last_names[] = {
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson",
    "Olsson", "Persson", "Svensson", "Gustafsson", "Lindberg", "Lindqvist",
    "Hussein", "Holm", "Berg", "Ekström", "Mohamud", "Yilmaz", "Haddad",
    "Nordin", "Sjöberg", "Öberg", "Åberg", "Ström", "Bergström", "Sandberg",
};

static const char *const roles[] = {
    "projektledare", "utredare", "enhetschef", "analytiker", "samordnare",
    "verksamhetsutvecklare", "områdesutvecklare", "kommunstrateg", "forskare",
    "stadsdelsdirektör", "socialchef", "rektor", "utvecklingsledare",
};

static const char *const venues[] = {
    "Ljusgården", "Folkets hus", "Stadshuset", "Kulturhuset", "Stadsbiblioteket",
    "City Conference Center/Folkets Hus", "Medborgarhuset", "Konserthuset",
    "Kommunhuset", "Rådhuset", "Aulan", "Stora salen", "Kulturens hus",
    "Världskulturmuseet", "Träffpunkten",
};

static const char *const streets[] = {
    "Drottninggatan", "Storgatan", "Kungsgatan", "Barnhusgatan", "Järnvägsgatan",
    "Södra Förstadsgatan", "Stora Nygatan", "Östra Hamngatan", "Rådhusgatan",
    "Skolgatan", "Kyrkogatan", "Torggatan", "Sveavägen", "Vasagatan", "Nygatan",
    "Ågatan", "Köpmangatan", "Fabriksgatan", "Parkgatan", "Stationsgatan",
};

static const char *const months[] = {
    "januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
    "september", "oktober", "november", "december",
};

static const char *const ordinals[] = {
    "första", "andra", "tredje", "fjärde", "femte", "sjätte",
};

/* ------------------------------------------------------------------------ */
/* Sentence templates. {x} are slots, see slot_names: T town, K its
 * municipality, D district, Y year, O organiser, P person, R role; th topic,
 * sg segregation, gd good, pr problem (with d: definite form); v*, m*, b*
 * verbs of study, against, building up (i infinitive, p present, s supine,
 * t past). {form:C} is a noun of class C (R A F Y I L E X C above) in a form:
 * n, an (en/ett + noun), aan (with an adjective), nd (definite), and (den/det
 * + adjective), np (plural), anp (adjective + plural), npd (plural definite),
 * andp (de + adjective + plural definite). */

static const char *const t_body[] = {
    "{K} har under {Y} genomfört en kartläggning av {th} i {D}.",
    "Syftet är att {bi} {andp:I} och på sikt {mi} {sgd}.",
    "Delegationen mot segregation har beviljat {K} {mkr} för att {bi} {anp:I} i {D}.",
    "Enligt {P}, {R} i {K}, handlar det om att {bi} {npd:I} tillsammans med {npd:A}.",
    "– Vi ser att {prd} påverkar {npd:F} i hela {T}, säger {P}, {R}.",
    "Det finns ett stort behov av {anp:I} som kan {mi} {pr}.",
    "Resultaten visar att {prd} har ökat i {num} av landets 290 kommuner.",
    "{T} är en av de {num} kommuner som har sökt särskilt stöd för att bryta {sgd}.",
    "Arbetet ska resultera i {aan:R} som kan användas av {np:A} i hela landet.",
    "Under {Y} har {num} {np:A} fått stöd för att {mi} {sg}.",
    "{npd:A} i {D} {bp} {anp:I} för att minska {prd}.",
    "Ett första led i uppdraget är att föreslå hur {aan:I} kan se ut.",
    "Myndigheten har därför bett om återkoppling från {anp:A}, och intresset har varit stort.",
    "Just nu pågår {aan:R} runt om i landet för att identifiera behov av insatser mot {sg}.",
    "Det är viktigt att se på {sg} som en utmaning som rör hela {T}.",
    "Flera aktörer i {T} menar att {npd:A} behöver {bi} {npd:I}.",
    "Statistiken visar stora skillnader i {gd} mellan olika delar av {T}.",
    "Projektet pågår till och med {Y} och finansieras av {O}.",
    "{O} har {bs} {aan:I} tillsammans med {K}.",
    "– Det här är en viktig satsning för oss, säger {P}, {R} i {K}.",
    "Målet är att {bi} {anp:I} och att fler {np:F} ska få del av {npd:I}.",
    "Det handlar om att skapa {anp:L} där {npd:F} kan mötas.",
    "Under seminariet presenterades resultaten från {npd:R} som genomfördes i {T} under {Y}.",
    "Andelen {np:F} som lever med {pr} är {pct} procent i {D}, jämfört med {pct} procent i hela {T}.",
    "{K} samarbetar med {anp:A} för att {mi} {sgd} i {D}.",
    "En viktig del av arbetet är att {vi} {npd:X} och att {bi} {npd:I}.",
    "Kommunen har tagit fram {aan:R} som beskriver {npd:X} i {D}.",
    "Både {npd:A} och {npd:F} har varit delaktiga i arbetet.",
    "Förstudien visar att {anp:I} behövs för att {mi} {sgd}.",
    "Nästa steg är att ta fram {aan:R} tillsammans med {npd:A} i {T}.",
    "Regeringen har gett Delegationen mot segregation i uppdrag att {vi} {th} i hela landet.",
    "Under {Y} fördelade myndigheten {mkr} till {num} kommuner och organisationer.",
    "Stödet ska bidra till att {mi} {sgd} i socioekonomiskt utsatta områden.",
    "Stödet ska bidra till att {bi} {gdd} i {D}.",
    "– Vi behöver {anp:I} och {anp:R} för att lyckas, säger {P}.",
    "{npd:Y} i {T} pekar på att {prd} påverkar {npd:F} i hög grad.",
    "Många {np:F} i {D} vittnar om {pr} och {pr}.",
    "Det saknas i dag kunskap om {th} på lokal nivå.",
    "Därför har {K} valt att {bi} {npd:I} i {D}.",
    "Erfarenheterna från {T} visar att {npd:I} ger bäst effekt när de genomförs i samverkan med {npd:A}.",
    "I {D} har {npd:A} startat {aan:I} för {np:F}.",
    "{O} menar att {prd} måste motverkas med {anp:I}.",
    "Delegationen mot segregation följer upp {npd:I} och sprider erfarenheterna till andra kommuner.",
    "Uppföljningen sker bland annat genom {anp:I} och {anp:R}.",
    "Inom ramen för projektet har {num} {np:F} deltagit i {anp:E}.",
    "{T} har länge arbetat med {th}, men {prd} är fortfarande en stor utmaning i flera stadsdelar.",
    "Under hösten {Y} genomfördes {num} {np:E} med {npd:F} i {D}.",
    "Kartläggningen omfattar bland annat {th}, {pr} och {gd}.",
    "Resultaten ska ligga till grund för {aan:R} för {D}.",
    "Enligt {nd:R} från {O} har {prd} ökat sedan {Y}.",
    "Det är en utmaning som kräver {anp:I} från både stat, kommun och civilsamhälle.",
    "{npd:Y} efterfrågar {anp:I} och {anp:R} för att kunna {mi} {sgd}.",
    "Samtidigt finns det {anp:I} att bygga vidare på.",
    "Bostadssegregationen i {T} har ökat de senaste tio åren, enligt {nd:R}.",
    "Skolresultaten i {D} ligger under genomsnittet för {T}.",
    "Lärarbristen är särskilt stor i skolorna i {D}.",
    "Ett uppföljningssystem med {num} indikatorer ska göra det möjligt att jämföra {th} mellan kommuner.",
    "Stadsdelsförvaltningen i {D} har varit drivande i kartläggningsarbetet.",
    "I {D} bor i dag omkring {num} 000 invånare.",
    "Hur kan {npd:A} {mi} {sgd} på bästa sätt?",
    "Svaret är inte enkelt, men erfarenheterna från {T} pekar i samma riktning.",
    "{P}, {R} i {K}, ser stora möjligheter i att {bi} {npd:I}.",
    "– Vi måste våga {mi} {sgd} på allvar, säger {P}.",
    "Det var när {npd:Y} började {bi} {npd:I} som arbetet tog fart.",
    "Insatserna har {bs} förutsättningarna för {npd:F} i {D}.",
    "{K} presenterade {anp:R} under {Y}, och arbetet fortsätter under kommande år.",
    "Tidigare har {O} {vs} {th} i {num} kommuner.",
    "Sedan {Y} har antalet {np:I} i {D} ökat kraftigt.",
    "De boende i {D} har fått vara med och påverka {npd:I}.",
    "Det ger nya möjligheter för {npd:F} att delta i samhällslivet.",
    "Arbetet följs upp av {O} och redovisas till regeringen.",
    "{npd:R} {vp} {npd:X} för {npd:F} i {T}.",
    "Flera av {npd:I} har redan gett resultat i form av {anp:L} och {anp:E}.",
    "{K} har inrättat {aan:C} i {D}.",
    "Satsningen omfattar bland annat {np:C}, {np:C} och {np:C}.",
    "I arbetet ingår också {an:C} och {an:C}.",
    "Frågan om {nd:C} diskuterades på {nd:E} i {T}.",
    "En del av stödet går till {npd:C} i {D}.",
    "{npd:C} i {T} har fått {aan:X} att {bi} {npd:I}.",
    "Enligt {P} är {nd:C} {aan:I} för hela {T}.",
};

static const char *const t_lead[] = {
    "Delegationen mot segregation besöker den {dm} {T} för att diskutera kommunens befintliga och framtida arbete mot segregation.",
    "{T} är en av de {num} kommuner som har sökt särskilt stöd för att bryta {sgd} och minska klyftorna.",
    "Just nu pågår {aan:R} i {T} för att identifiera behov av insatser mot {sg}.",
    "Det är viktigt att se på {sg} som en utmaning som rör hela staden och hitta metoder för att stärka boendes delaktighet.",
    "{K} har fått stöd från Delegationen mot segregation för att {mi} {sgd} i {D}.",
    "En ny rapport från {O} visar att {prd} har ökat i flera av landets kommuner.",
    "{num} organisationer fick slutligen positivt besked från Delegationen mot segregation på sin ansökan om stöd.",
    "Delegationen mot segregation har i uppdrag att följa upp segregationens utveckling och arbetet med att minska och motverka segregation i Sverige.",
    "I {D} i {T} pågår {aan:I} för att {bi} {gdd}.",
    "Hur kan {npd:A} {mi} {sgd}? Det var frågan när {O} samlade {np:Y} från hela landet i {T}.",
    "{npd:A} i {T} har under {Y} {bs} {anp:I} mot {sg}.",
    "Nu presenteras resultaten från {npd:R} om {th} i {T}.",
};

static const char *const t_h2[] = {
    "Bakgrund", "Segregationens utmaningar", "Om projektet", "Nästa steg",
    "Så går arbetet till", "Resultat från förstudien", "Stöd till kommuner",
    "{th} i {D}", "Vad händer nu?", "Erfarenheter från {T}", "Om uppföljningen",
    "Kartläggning och behovsanalys", "Samverkan med civilsamhället",
    "Mer om {npd:I}", "Fakta om {th}", "{anp:I} ger resultat", "Om {nd:C}",
    "{anp:C} i {T}",
};

static const char *const t_atitle[] = {
    "{T} i kraftsamling mot {sg}",
    "Delegationen mot segregation till {T}",
    "Intresset stort för nationell uppföljning av {sg}",
    "Många organisationer kartlägger {th}",
    "{npd:A} i {T} får stöd för att {mi} {sg}",
    "Ny rapport om {pr} i {D}",
    "{K} satsar på {anp:I} i {D}",
    "Så arbetar {T} med {th}",
    "{num} kommuner får stöd till {np:R}",
    "Förstudie i {T} visar på {anp:X}",
    "Uppföljning av {th} presenteras i ny rapport",
    "Kartläggning av {th} i {D} klar",
    "Stöd till kommuner som vill {mi} {sg}",
    "{T}: {anp:I} ska {mi} {prd}",
    "Nytt uppföljningssystem ska {vi} {thd}",
    "Så kan {npd:A} {bi} {gdd}",
    "Lärarbrist och skolsegregation i fokus i {T}",
    "Hur påverkar {pr} {npd:F} i {D}?",
    "Delegationen besöker {T} för dialog om {th}",
    "Regeringen förlänger stödet till {npd:A}",
    "{O} och {K} inleder samarbete om {th}",
    "Ny kunskap om {th} i Sverige",
    "{num} organisationer beviljas bidrag för {np:R}",
    "Segregationens utmaningar i {T}",
    "Rekordmånga ansökningar om stöd mot {sg}",
    "Så ska {sgd} i {T} brytas",
    "{aan:C} för {D}",
    "{T} satsar på {np:C} och {np:C}",
};

static const char *const t_stitle[] = {
    "Seminarium om {th} i {T}",
    "Segregationens utmaningar",
    "Goda krafter som gör skillnad i särskilt utsatta områden",
    "Konferens om {sg} och {pr}",
    "Webbinarium om {anp:I} mot {sg}",
    "Frukostseminarium: hur kan {npd:A} {mi} {sgd}?",
    "Dialogmöte om {th} i {D}",
    "Nätverksträff för kommuner som arbetar med {th}",
    "Workshop: från kartläggning till handling",
    "{T} bjuder in till samtal om {th}",
    "Temadag om {gd} och {pr}",
    "Välkommen till den {ord} konferensen om {th}",
    "Rundabordssamtal om {anp:I} i {T}",
    "Lansering av {nd:R} om {pr}",
};

static const char *const t_vad[] = {
    "Seminarium", "Webbinarium", "Konferens", "Workshop", "Frukostseminarium",
    "Dialogmöte", "Nätverksträff", "Lunchseminarium", "Temadag",
    "Valbart seminarium på den nationella Finsamkonferensen - Finsam så in i Norden",
    "Seminarium om {th}", "Konferens om {sg} och {pr}", "Rundabordssamtal",
    "Utbildningsdag för kommuner", "Öppet möte",
};

static const char *const t_sopen[] = {
    "{O} bjuder in till en eftermiddag med fokus på arbetet i socioekonomiskt utsatta områden och hur olika aktörer och initiativ kan bidra till att {mi} {sgd}.",
    "Hur ser {sgd} ut i Sverige i dag?",
    "Vi samlar {np:Y}, {np:F} och {np:A} för att diskutera hur {pr} kan motverkas.",
    "Seminariet riktar sig till {np:Y} och {np:A} som arbetar med {th}.",
    "Välkommen till {aan:E} om {th} och {pr} i {T}.",
    "{O} och {K} bjuder in till {aan:E} om {anp:I} mot {sg}.",
    "Hur kan {npd:A} {mi} {sgd} i {anp:L}?",
    "Vad krävs för att {mi} {sgd} i {D}?",
};

static const char *const t_sdesc[] = {
    "Hur ser {sgd} ut i Sverige i dag?",
    "Under dagen presenteras {anp:R} om {th} i {T}.",
    "Medverkar gör bland andra {P}, {R} i {K}, och {P}, {R}.",
    "Sista dag för anmälan är den {dl}.",
    "Seminariet är kostnadsfritt och genomförs på svenska.",
    "Efter seminariet bjuder vi på mingel.",
    "Dagen avslutas med en gemensam diskussion om {anp:I} och {anp:X}.",
    "Delegationen mot segregation medverkar och berättar om {nd:I} i {T}.",
    "Antalet platser är begränsat.",
    "En beskrivning av regeringens politik mot {sg} inleder dagen.",
    "Därefter berättar {npd:Y} från {D} om sitt arbete med {th}.",
    "Vilka {np:I} gör skillnad för {npd:F} i {D}, och hur kan de spridas till fler kommuner?",
    "Under eftermiddagen delar deltagarna erfarenheter av {anp:I} och {anp:R}.",
    "Programmet uppdateras löpande.",
    "{P}, {R}, presenterar {nd:R} om {pr} i {T}.",
    "Målet med dagen är att {vi} {npd:X} och att {bi} {anp:I} mot {sg}.",
    "Seminariet filmas och kan ses i efterhand.",
    "Hur kan vi tillsammans {bi} {gdd} i {anp:L}?",
    "Vi får också höra hur {K} arbetar med {th} i {D}.",
    "Deltagarna får ta del av {anp:X} från {np:A} i hela landet.",
    "Under förmiddagen ges en introduktion till {nd:R} om {th}.",
    "Seminariet genomförs i samarbete med {O}.",
    "Under dagen diskuteras {anp:C} och {npd:C} i {T}.",
    "Vi presenterar också {nd:C} och {nd:C}.",
};

static const char *const t_ltitle[] = {
    "Aktuellt", "Nyheter", "Kalendarium", "Nyheter om {th}",
    "Seminarier och konferenser", "Aktuellt från {T}", "Arkiv {Y0}",
    "Pressmeddelanden", "Aktuellt om {th}",
};

/* Sentences for the lexicon's long tail (--words only), mixed into the body
 * and seminar text: {w} any word form, {wn} a noun form, {wc} a compound of
 * two nouns, {wp} a name, {wpg} a name in the genitive. Any form of a noun
 * fits where they stand, so they need no grammar beyond the templates. */
static const char *const t_vocab[] = {
    "I arbetet ingår bland annat {wn}, {wc} och {wn}.",
    "Frågor om {wc} och {wn} tas upp i {nd:R}.",
    "Enligt {wp} {wp} handlar det lika mycket om {wn} som om {wc}.",
    "Underlaget tar också upp {w}, {w} och {wc}.",
    "Under mötet diskuterades {wc}, {wn} och {w}.",
    "Mer information om {wc} finns hos {wp}.",
    "{wpg} arbete med {wc} har varit en förebild för {npd:A} i {T}.",
    "Kontakta {wp} {wp}, {R}, om du har frågor om {wc}.",
    "Syftet med {wc} är att {bi} {wn} och {wc}.",
    "I {wp} har {wc} och {wc} gett {anp:X}.",
    "Uppgifterna om {wn} och {wc} kommer från {wpg} {wc}.",
    "Ansökan ska innehålla en beskrivning av {wc} och {wn}.",
    "Begrepp som {w} och {w} används ofta när {wc} diskuteras.",
    "Det gäller även {wn}, {wn} och {wc} i {D}.",
    "Tabellen visar {wc} och {wn} per kommun och år.",
    "{wp} {wp} vid {wp} har studerat {wc} i {num} kommuner.",
    "Satsningen på {wc} ska {bi} {wn} i {T}.",
    "Läs mer om {wc} och {wc} på webbplatsen.",
    "– Det handlar om {wn} och {wc}, inte bara om {wn}, säger {wp} {wp}.",
    "Vid mötet i {wp} presenterades {wc} och {wn}.",
    "{wc} och {wc} är två av de frågor som {npd:A} lyfter fram.",
    "Ett exempel är {wc} i {wp}, där {wn} och {wn} samordnas.",
    "Många av {npd:F} nämner {wn}, {w} och {wc}.",
    "Stödet kan sökas för {wc}, {wc} och {wn}.",
    "Till {nd:R} hör en bilaga om {wc} och {wn}.",
    "Deltagarna diskuterade {wn}, {w} och {wc} i mindre grupper.",
    "{wpg} erfarenheter av {wc} visar att {wn} spelar roll.",
    "Utvärderingen omfattar {wc}, {wn} och {wc}.",
    "Frågan om {wn} återkommer i {np:R} från {wp}.",
    "Där ingår {wn}, {wc}, {w} och {wn}.",
};

_Static_assert(NELEM(t_body) < 256 && NELEM(t_sdesc) < 256 && NELEM(t_vocab) < 256,
               "template indices are stored in 8 bits");

enum tset {
    S_BODY, S_LEAD, S_H2, S_ATITLE, S_STITLE, S_VAD, S_SOPEN, S_SDESC, S_LTITLE, S_VOCAB,
    S_COUNT
};

struct tset_def { const char *const *v; uint32_t n; uint32_t q; };

/* q flattens the Zipf law: the smaller, the more the first entries dominate. */
static const struct tset_def tsets[S_COUNT] = {
    [S_BODY] = {t_body, NELEM(t_body), 8},
    [S_LEAD] = {t_lead, NELEM(t_lead), 8},
    [S_H2] = {t_h2, NELEM(t_h2), 4},
    [S_ATITLE] = {t_atitle, NELEM(t_atitle), 6},
    [S_STITLE] = {t_stitle, NELEM(t_stitle), 8},
    [S_VAD] = {t_vad, NELEM(t_vad), 2},
    [S_SOPEN] = {t_sopen, NELEM(t_sopen), 3},
    [S_SDESC] = {t_sdesc, NELEM(t_sdesc), 12},
    [S_LTITLE] = {t_ltitle, NELEM(t_ltitle), 2},
    [S_VOCAB] = {t_vocab, NELEM(t_vocab), 8},
};

/* ------------------------------------------------------------------------ */
/* PRNG: splitmix64, which has a fixed definition, unlike rand(). */

struct rng { uint64_t s; };

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rng_next(struct rng *r)
{
    r->s += 0x9E3779B97F4A7C15ull;
    return mix64(r->s);
}

/* The modulo bias is far below anything a corpus could show. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(rng_next(r) % n);
}

static uint32_t rng_range(struct rng *r, uint32_t lo, uint32_t hi)
{
    return lo + rng_below(r, hi - lo + 1);
}

static bool rng_chance(struct rng *r, uint32_t percent)
{
    return rng_below(r, 100) < percent;
}

/* Each page has its own stream, so that a listing page can regenerate the
 * head of any other page and page i does not depend on N. */
static struct rng page_rng(uint64_t seed, uint32_t idx)
{
    struct rng r = {mix64(seed ^ mix64((uint64_t)idx + 0x632BE59BD9B4E019ull))};
    return r;
}

/* Zipf-Mandelbrot weights 1/(k+q) in integers: pow() may round differently
 * between C libraries, which would break byte-identical output. */
struct zipf { uint64_t *cum; uint32_t n; };

static void die_oom(void)
{
    fputs("generate: out of memory\n", stderr);
    exit(1);
}

/* With a cut c > 0 the weights fall as 1/k up to about rank c and as 1/k^2
 * beyond: a word list of 150,000 lemmas has a middle that text uses and a
 * tail it seldom reaches, as a writer's vocabulary has. */
static void zipf_init_cut(struct zipf *z, uint32_t n, uint32_t q, uint64_t c)
{
    z->cum = malloc(n * sizeof *z->cum);
    if (!z->cum)
        die_oom();
    z->n = n;
    uint64_t total = 0;
    for (uint64_t k = 0; k < n; k++) {
        total += c ? 1000000000ull * c / ((k + q) * (k + q + c)) : 1000000000ull / (k + q);
        z->cum[k] = total;
    }
}

static void zipf_init(struct zipf *z, uint32_t n, uint32_t q)
{
    zipf_init_cut(z, n, q, 0);
}

/* The same law over the first n entries only (n <= z->n): a lemma's forms
 * share one table whatever their number. */
static uint32_t zipf_pick_first(const struct zipf *z, uint32_t n, struct rng *r)
{
    uint64_t x = rng_next(r) % z->cum[n - 1];
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (z->cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static uint32_t zipf_pick(const struct zipf *z, struct rng *r)
{
    return zipf_pick_first(z, z->n, r);
}

/* ------------------------------------------------------------------------ */
/* Growable byte buffers, reused from page to page so that the steady state
 * does no allocation. */

struct buf { char *p; size_t n, cap; };

static void buf_reserve(struct buf *b, size_t extra)
{
    if (b->n + extra <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + extra)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        die_oom();
    b->p = p;
    b->cap = cap;
}

static void buf_put(struct buf *b, const char *s, size_t len)
{
    buf_reserve(b, len);
    memcpy(b->p + b->n, s, len);
    b->n += len;
}

static void buf_puts(struct buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

static void buf_putc(struct buf *b, char c)
{
    buf_reserve(b, 1);
    b->p[b->n++] = c;
}

/* Unsigned decimal, left-padded with zeros to at least width digits. */
static void buf_putu(struct buf *b, unsigned long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    buf_reserve(b, (size_t)n);
    while (n)
        b->p[b->n++] = tmp[--n];
}

static void put_html(struct buf *b, const char *s, size_t len)
{
    buf_reserve(b, len);
    for (size_t i = 0; i < len; i++) {
        switch (s[i]) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default: buf_putc(b, s[i]);
        }
    }
}

/* UTF-8 passes through unchanged, which JSON allows; only the characters
 * JSON forbids raw are escaped. */
static void put_json(struct buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    buf_putc(b, '"');
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default:
            if (c < 0x20) {
                char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
                buf_put(b, u, sizeof u);
            } else {
                buf_putc(b, (char)c);
            }
        }
    }
    buf_putc(b, '"');
}

/* ------------------------------------------------------------------------ */
/* The lexicon (--words FILE): hunspell-sv's word forms for the long tail of
 * the prose, as `make build/sv-forms.txt` writes them with hunspell's
 * unmunch: each dictionary entry as a line "=FLAGS" (its flags in the .dic)
 * followed by its forms, the entry itself first, then the forms it takes as
 * the first part of a compound ("arbetslöshets/WXZ|", linking -s- and all).
 *
 * The dictionary says nothing of how common a word is, but it holds the
 * compounds the language has made of it: a word that begins or ends many
 * entries ("kommun": kommunchef, hemkommun, grannkommun) is a common one. So
 * lemmas are ranked by that count, in powers of two, and by a hash of the
 * entry within each, and drawn with the Zipf law; within a lemma the entry
 * itself is the commonest form. */

/* The Zipf laws of the lexicon, tuned so that 2,500 pages hold some 27,000
 * distinct words and 20,000 pages some 80,000 (the built-in lists alone:
 * 2,800 and 4,000), with about half of them used once, as in real text. */
#define LEX_Q         20u      /* q of the lemmas' law: the commonest not too common */
#define LEX_CUT       1000u    /* zipf_init_cut's c for lemmas and compounds */
#define LEX_COMPOUNDS 50000u   /* compounds that can occur, ranked like lemmas */
#define LEX_CQ        100u     /* q of the compounds' law */
#define VOCAB_SHARE   45u      /* percent of the body's sentences from t_vocab */

enum lexlist { LX_WORD, LX_NOUN, LX_HEAD, LX_START, LX_NAME, LX_COUNT };

struct lemma {
    const char *root;
    uint32_t form, nforms;      /* lex.forms[form ...], the root first */
    uint32_t part, nparts;      /* lex.parts[part ...]: as a compound's first part */
    uint64_t key;               /* rank: the lower, the commoner */
    uint8_t lists;              /* 1 << lexlist for each list it is in */
};

struct lexicon {
    char *text;                 /* the file, each line ending in NUL */
    const char **forms, **parts;
    uint32_t nforms, nparts, cap_forms, cap_parts;
    struct lemma *lemmas;
    uint32_t nlemmas, cap_lemmas, max_forms;
    uint32_t *list[LX_COUNT], nlist[LX_COUNT];   /* lemma numbers, commonest first */
    struct zipf z[LX_COUNT], zform, zcompound;
};

static void push_str(const char ***v, uint32_t *n, uint32_t *cap, const char *s)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 4096;
        const char **p = realloc(*v, *cap * sizeof *p);
        if (!p)
            die_oom();
        *v = p;
    }
    (*v)[(*n)++] = s;
}

/* A-Z, or À-Þ in UTF-8: an entry written with a capital is a name. */
static bool is_capital(const char *s)
{
    unsigned char c = (unsigned char)s[0], c2 = (unsigned char)s[1];
    return (c >= 'A' && c <= 'Z') || (c == 0xC3 && c2 >= 0x80 && c2 <= 0x9E && c2 != 0x97);
}

/* Latin letters (with those of Latin-1: å, ä, ö, é, ü) and inner hyphens:
 * forms with digits, colons, dots ("08:orna", "t.h.") or Greek letters are
 * no prose words; nor are all-capital ones ("ISO"), which read as names. */
static bool is_word(const char *s)
{
    size_t len = strlen(s);
    if (len < 2 || s[0] == '-' || s[len - 1] == '-')
        return false;
    bool lower = false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC3 && i + 1 < len) {
            unsigned char c2 = (unsigned char)s[++i];
            if (c2 < 0x80 || c2 > 0xBF || c2 == 0x97 || c2 == 0xB7)   /* not × ÷ */
                return false;
            lower |= c2 >= 0x9F;
        } else if ((c >= 'a' && c <= 'z') || c == '-') {
            lower |= c != '-';
        } else if (!(c >= 'A' && c <= 'Z')) {
            return false;
        }
    }
    return lower;
}

static bool has_form(const struct lexicon *lx, const struct lemma *lm, const char *suffix)
{
    size_t rl = strlen(lm->root), sl = strlen(suffix);
    for (uint32_t k = 1; k < lm->nforms; k++) {
        const char *f = lx->forms[lm->form + k];
        if (strlen(f) == rl + sl && !memcmp(f, lm->root, rl) && !memcmp(f + rl, suffix, sl))
            return true;
    }
    return false;
}

/* A noun has a definite form: kommun-en, barn-et, skola-n, område-t. Verbs
 * in -a take -t too (talat), adjectives neither. */
static bool looks_like_noun(const struct lexicon *lx, const struct lemma *lm)
{
    if (has_form(lx, lm, "en") || has_form(lx, lm, "et"))
        return true;
    char last = lm->root[strlen(lm->root) - 1];
    if (last == 'a')
        return has_form(lx, lm, "n");
    if (strchr("eiouy", last) || (unsigned char)last >= 0x80)
        return has_form(lx, lm, "n") || has_form(lx, lm, "t");
    return false;
}

/* unmunch writes each form's genitive right after it (kommun, kommuns,
 * kommunen, kommunens); moved last, they are drawn as seldom as prose
 * uses them. */
static void genitives_last(struct lexicon *lx, const struct lemma *lm)
{
    const char *gen[64];
    uint32_t ng = 0, nk = 1;
    const char **f = &lx->forms[lm->form];
    const char *prev = f[0];   /* f[k - 1] as it was: the loop moves forms down */
    for (uint32_t k = 1; k < lm->nforms; k++) {
        const char *form = f[k];
        size_t len = strlen(form);
        bool is_gen = ng < NELEM(gen) && form[len - 1] == 's' &&
                      strlen(prev) == len - 1 && !memcmp(prev, form, len - 1);
        if (is_gen)
            gen[ng++] = form;
        else
            f[nk++] = form;
        prev = form;
    }
    memcpy(&f[nk], gen, ng * sizeof *gen);
}

/* Ends the lemma whose forms start at form0 and first parts at part0: kept
 * with its lists, or dropped with its forms. */
static void lex_commit(struct lexicon *lx, const char *flags, uint32_t form0, uint32_t part0)
{
    /* Forbidden (%) and never-suggested (!) entries are misspellings and
     * words the dictionary keeps out of suggestions; ¤ needs an affix. */
    bool drop = lx->nforms == form0 || strpbrk(flags, "%!") || strstr(flags, "¤");
    const char *root = drop ? NULL : lx->forms[form0];
    if (root && strchr(flags, 'X'))   /* the entry itself begins compounds */
        push_str(&lx->parts, &lx->nparts, &lx->cap_parts, root);
    /* Z: only inside compounds ("Medelhavs", "kedje"): a first part at most,
     * not for names ("Heby" + "nyhet" reads as a typo, not a compound). */
    bool part_only = root && strchr(flags, 'Z');
    if (part_only) {
        lx->nforms = form0;
        drop = lx->nparts == part0 || is_capital(root);
    }
    if (drop) {
        lx->nforms = form0;
        lx->nparts = part0;
        return;
    }
    if (lx->nlemmas == lx->cap_lemmas) {
        lx->cap_lemmas = lx->cap_lemmas ? lx->cap_lemmas * 2 : 4096;
        struct lemma *p = realloc(lx->lemmas, lx->cap_lemmas * sizeof *p);
        if (!p)
            die_oom();
        lx->lemmas = p;
    }
    struct lemma *lm = &lx->lemmas[lx->nlemmas++];
    *lm = (struct lemma){root, form0, lx->nforms - form0, part0, lx->nparts - part0, 0, 0};
    if (part_only) {
        lm->lists = 1u << LX_START;
        return;
    }
    if (lm->nforms > lx->max_forms)
        lx->max_forms = lm->nforms;
    genitives_last(lx, lm);
    if (is_capital(root)) {
        lm->lists = 1u << LX_NAME;
        return;
    }
    lm->lists = 1u << LX_WORD;
    if (lm->nparts)
        lm->lists |= 1u << LX_START;
    if (looks_like_noun(lx, lm)) {
        lm->lists |= 1u << LX_NOUN;
        if (strchr(flags, 'Y'))   /* may end a compound */
            lm->lists |= 1u << LX_HEAD;
    }
}

/* A string table for rank_lemmas: open addressing over FNV-1a, values
 * 1-based (0: empty slot). */
struct strtab { const char **key; uint32_t *val, mask; };

static void strtab_init(struct strtab *t, uint32_t n)
{
    uint32_t size = 1024;
    while (size < 2 * n)
        size *= 2;
    t->mask = size - 1;
    t->key = calloc(size, sizeof *t->key);
    t->val = calloc(size, sizeof *t->val);
    if (!t->key || !t->val)
        die_oom();
}

/* The slot of s[0..len): where it is, or the empty one where it would go. */
static uint32_t strtab_slot(const struct strtab *t, const char *s, size_t len, uint64_t h)
{
    uint32_t i = (uint32_t)h & t->mask;
    while (t->val[i] && (strncmp(t->key[i], s, len) || t->key[i][len]))
        i = (i + 1) & t->mask;
    return i;
}

/* The first one stays: homographs share the commonness of the first entry. */
static void strtab_put(struct strtab *t, const char *s, uint32_t val)
{
    size_t len = strlen(s);
    uint32_t i = strtab_slot(t, s, len, fnv1a64(s, len));
    if (!t->val[i]) {
        t->key[i] = s;
        t->val[i] = val;
    }
}

static void strtab_free(struct strtab *t)
{
    free(t->key);
    free(t->val);
}

/* Each lemma's key: how many of the dictionary's entries are compounds with
 * it as their first part (kommun-chef, arbetslöshets-kassa) or their last
 * (hem-kommun), split the way hunspell joins them: a first part it lists,
 * then a whole entry. Suffixes are no compounds: förbättr-ing is not "ring"
 * ended by "förbättr", which begins nothing. */
static void rank_lemmas(struct lexicon *lx)
{
    uint32_t n = lx->nlemmas;
    struct strtab roots, parts;
    strtab_init(&roots, n);
    strtab_init(&parts, lx->nparts);
    uint32_t *count = calloc((size_t)n + 1, sizeof *count);
    if (!count)
        die_oom();
    for (uint32_t i = 0; i < n; i++) {
        const struct lemma *lm = &lx->lemmas[i];
        strtab_put(&roots, lm->root, i + 1);
        for (uint32_t k = 0; k < lm->nparts; k++)
            strtab_put(&parts, lx->parts[lm->part + k], i + 1);
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *e = lx->lemmas[i].root;
        size_t len = strlen(e);
        uint64_t h = FNV1A64_INIT;
        for (size_t pos = 1; pos + 2 <= len; pos++) {
            h = fnv1a64_add(h, e + pos - 1, 1);   /* of e[0..pos) */
            if (((unsigned char)e[pos] & 0xC0) == 0x80)
                continue;   /* inside a letter */
            uint32_t a = parts.val[strtab_slot(&parts, e, pos, h)];
            if (!a)
                continue;
            uint32_t b = roots.val[strtab_slot(&roots, e + pos, len - pos,
                                               fnv1a64(e + pos, len - pos))];
            if (b && a != i + 1 && b != i + 1) {
                count[a - 1]++;
                count[b - 1]++;
            }
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        struct lemma *lm = &lx->lemmas[i];
        unsigned bits = 0;
        while (count[i] >> bits)
            bits++;
        lm->key = (uint64_t)(63 - bits) << 48 | (fnv1a64(lm->root, strlen(lm->root)) >> 16);
    }
    free(count);
    strtab_free(&parts);
    strtab_free(&roots);
}

static int cmp_lemma(const void *a, const void *b)
{
    const struct lemma *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->root, y->root);
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    struct buf b = {NULL, 0, 0};
    size_t got;
    do {
        buf_reserve(&b, 1 << 20);
        got = fread(b.p + b.n, 1, b.cap - b.n, f);
        b.n += got;
    } while (got > 0);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        free(b.p);
        return NULL;
    }
    buf_putc(&b, '\0');
    *len = b.n - 1;
    return b.p;
}

/* Loads the lexicon from path: 0, -1 (errno set) when it cannot be read,
 * or 1 when it is not in the format above. */
static int lex_load(struct lexicon *lx, const char *path)
{
    size_t len;
    lx->text = read_all(path, &len);
    if (!lx->text)
        return -1;
    const char *flags = NULL;   /* of the open entry; NULL before the first */
    uint32_t form0 = 0, part0 = 0;
    for (char *line = lx->text, *end; line < lx->text + len; line = end + 1) {
        end = strchr(line, '\n');
        if (!end)
            end = lx->text + len;
        *end = '\0';
        if (end > line && end[-1] == '\r')
            end[-1] = '\0';
        char *slash = strchr(line, '/');
        if (line[0] == '=') {
            if (flags)
                lex_commit(lx, flags, form0, part0);
            flags = line + 1;
            form0 = lx->nforms;
            part0 = lx->nparts;
        } else if (!flags) {
            continue;   /* before the first entry */
        } else if (slash) {   /* "word/FLAGS|": a first part when X (begin) is set */
            *slash = '\0';
            if (strchr(slash + 1, 'X') && is_word(line))
                push_str(&lx->parts, &lx->nparts, &lx->cap_parts, line);
        } else if (is_word(line)) {
            push_str(&lx->forms, &lx->nforms, &lx->cap_forms, line);
        }
    }
    if (flags)
        lex_commit(lx, flags, form0, part0);
    rank_lemmas(lx);
    qsort(lx->lemmas, lx->nlemmas, sizeof *lx->lemmas, cmp_lemma);
    for (int l = 0; l < LX_COUNT; l++) {
        lx->list[l] = malloc(((size_t)lx->nlemmas + 1) * sizeof *lx->list[l]);
        if (!lx->list[l])
            die_oom();
    }
    for (uint32_t i = 0; i < lx->nlemmas; i++)
        for (int l = 0; l < LX_COUNT; l++)
            if (lx->lemmas[i].lists & (1u << l))
                lx->list[l][lx->nlist[l]++] = i;
    for (int l = 0; l < LX_COUNT; l++) {
        if (lx->nlist[l] == 0)
            return 1;
        zipf_init_cut(&lx->z[l], lx->nlist[l], LEX_Q, LEX_CUT);
    }
    zipf_init_cut(&lx->zform, lx->max_forms, 1, 1);
    zipf_init_cut(&lx->zcompound, LEX_COMPOUNDS, LEX_CQ, LEX_CUT);
    return 0;
}

static void lex_free(struct lexicon *lx)
{
    for (int l = 0; l < LX_COUNT; l++) {
        free(lx->list[l]);
        free(lx->z[l].cum);
    }
    free(lx->zform.cum);
    free(lx->zcompound.cum);
    free(lx->lemmas);
    free(lx->forms);
    free(lx->parts);
    free(lx->text);
}

static const struct lemma *lex_pick(const struct lexicon *lx, enum lexlist l, struct rng *r)
{
    return &lx->lemmas[lx->list[l][zipf_pick(&lx->z[l], r)]];
}

static const char *lex_form(const struct lexicon *lx, const struct lemma *lm, struct rng *r)
{
    return lx->forms[lm->form + zipf_pick_first(&lx->zform, lm->nforms, r)];
}

/* Compound k joins the same two lemmas wherever it occurs, so that the
 * common ones recur as a site's own compounds do; its form varies. */
static void put_compound(const struct lexicon *lx, uint64_t seed, struct buf *b, struct rng *r)
{
    uint32_t k = zipf_pick(&lx->zcompound, r);
    struct rng cr = {mix64(seed ^ mix64((uint64_t)k + 0x2545F4914F6CDD1Dull))};
    const struct lemma *first = lex_pick(lx, LX_START, &cr);
    const struct lemma *head = lex_pick(lx, LX_HEAD, &cr);
    if (head == first)   /* "bil" + "bil": hunspell's CHECKCOMPOUNDDUP */
        head = lex_pick(lx, LX_HEAD, &cr);
    const char *part = lx->parts[first->part + rng_below(&cr, first->nparts)];
    const char *form = lex_form(lx, head, r);
    size_t pl = strlen(part);
    buf_put(b, part, pl);
    /* "fall" + "lucka" is written "fallucka" (SIMPLIFIEDTRIPLE). */
    if (pl >= 2 && part[pl - 1] == part[pl - 2] && form[0] == part[pl - 1])
        form++;
    buf_puts(b, form);
}

/* A name, in the genitive when asked: "Boverkets", "Lars" as it is. */
static void put_name(const struct lexicon *lx, struct buf *b, struct rng *r, bool genitive)
{
    const char *name = lex_pick(lx, LX_NAME, r)->root;
    size_t len = strlen(name);
    buf_put(b, name, len);
    if (genitive && !strchr("sxz", name[len - 1]))
        buf_putc(b, 's');
}

/* ------------------------------------------------------------------------ */
/* Compiled templates: parsing "{...}" slot names once at start-up keeps the
 * per-word cost to a switch, which matters at a million pages. */

enum opcode {
    OP_LIT, OP_TOWN, OP_TOWN2, OP_KOMMUN, OP_DISTRICT, OP_YEAR, OP_YEAR0, OP_ORG,
    OP_PERSON, OP_ROLE, OP_THEME, OP_SEG, OP_GOOD, OP_PROB, OP_VERB, OP_NUM,
    OP_PCT, OP_MKR, OP_DM, OP_DEADLINE, OP_ORD, OP_NOUN, OP_WORD, OP_WNOUN,
    OP_WCOMPOUND, OP_WNAME, OP_WNAMEG,
};

enum nform { F_N, F_AN, F_AAN, F_ND, F_AND, F_NP, F_ANP, F_NPD, F_ANDP };

static const struct { const char *name; enum opcode op; } slot_names[] = {
    {"T", OP_TOWN}, {"T2", OP_TOWN2}, {"K", OP_KOMMUN}, {"D", OP_DISTRICT},
    {"Y", OP_YEAR}, {"Y0", OP_YEAR0}, {"O", OP_ORG}, {"P", OP_PERSON},
    {"R", OP_ROLE}, {"num", OP_NUM}, {"pct", OP_PCT}, {"mkr", OP_MKR},
    {"dm", OP_DM}, {"dl", OP_DEADLINE}, {"ord", OP_ORD}, {"w", OP_WORD},
    {"wn", OP_WNOUN}, {"wc", OP_WCOMPOUND}, {"wp", OP_WNAME}, {"wpg", OP_WNAMEG},
};

/* Themes and verbs: a list letter pair or letter, then the form. The op's
 * cls holds the list, its form the inflection. */
static const struct { const char *prefix; enum opcode op; uint8_t list; } inflected[] = {
    {"th", OP_THEME, 0}, {"sg", OP_SEG, 0}, {"gd", OP_GOOD, 0}, {"pr", OP_PROB, 0},
    {"v", OP_VERB, 0}, {"m", OP_VERB, 1}, {"b", OP_VERB, 2},
};

static const char *const form_names[] = {
    [F_N] = "n", [F_AN] = "an", [F_AAN] = "aan", [F_ND] = "nd", [F_AND] = "and",
    [F_NP] = "np", [F_ANP] = "anp", [F_NPD] = "npd", [F_ANDP] = "andp",
};

struct op {
    uint8_t code, form, cls;
    uint16_t len;
    const char *lit;
};

struct tmpl { uint32_t first, n; };

enum zlist {
    Z_TOWN, Z_DISTRICT, Z_ORG, Z_THEME, Z_SEG, Z_GOOD, Z_PROB, Z_ADJ, Z_VSTUDY,
    Z_VCOUNTER, Z_VBUILD, Z_FIRST, Z_LAST, Z_ROLE, Z_VENUE, Z_STREET, Z_CFIRST,
    Z_COUNT
};

enum ptype { P_ARTIKEL, P_SEMINARIUM, P_LISTA, P_NTYPES };

static const char *const type_names[P_NTYPES] = {"artikel", "seminarium", "lista"};

struct span { uint32_t off, len; };

enum bkind { B_P, B_H2, B_TEASER };

struct block {
    enum bkind kind;
    struct span text, title, href;   /* title and href: teasers only */
};

struct page {
    uint32_t idx;
    enum ptype type;
    int year, month, day;
    long dayno;                            /* the date in days since 1970 */
    const struct town *town;
    struct span district, title, slug, lead;
    struct span vad, tid, plats, arr;      /* seminars only */
    struct block blocks[MAX_BLOCKS];
    int nblocks;
    uint16_t recent[NRECENT];              /* templates used, as set << 8 | index */
    unsigned nrecent;
    struct buf text;                       /* arena the spans point into */
};

struct gen {
    uint64_t seed;
    uint32_t npages;
    bool jsonl;
    const char *out;
    struct zipf z[Z_COUNT];
    struct zipf zn[NCLASSES];
    struct zipf zt[S_COUNT];
    struct tmpl *tm[S_COUNT];
    struct op *ops;
    uint32_t nops;
    struct lexicon lex;                    /* nlemmas 0: no --words */
    struct page page, scratch;             /* scratch: teaser heads of lista pages */
    struct buf out_buf, path;
    long made_bucket[P_NTYPES];            /* last directory created per type */
    FILE *jf;
};

static void add_op(struct gen *g, uint32_t *cap, struct op op)
{
    if (g->nops == *cap) {
        *cap = *cap ? *cap * 2 : 256;
        struct op *p = realloc(g->ops, *cap * sizeof *p);
        if (!p)
            die_oom();
        g->ops = p;
    }
    g->ops[g->nops++] = op;
}

/* A bad slot is a bug in the lists above; say which and stop. */
static bool compile_template(struct gen *g, uint32_t *cap, const char *s,
                             struct tmpl *t)
{
    t->first = g->nops;
    while (*s) {
        const char *open = strchr(s, '{');
        size_t litlen = open ? (size_t)(open - s) : strlen(s);
        if (litlen)
            add_op(g, cap, (struct op){OP_LIT, 0, 0, (uint16_t)litlen, s});
        if (!open)
            break;
        const char *close = strchr(open, '}');
        if (!close)
            goto bad;
        const char *name = open + 1;
        size_t nlen = (size_t)(close - name);
        const char *colon = memchr(name, ':', nlen);
        struct op op = {OP_LIT, 0, 0, 0, NULL};
        bool found = false;
        if (colon) {
            size_t flen = (size_t)(colon - name);
            for (size_t f = 0; f < NELEM(form_names) && !found; f++)
                if (strlen(form_names[f]) == flen && !memcmp(form_names[f], name, flen)) {
                    op.form = (uint8_t)f;
                    found = true;
                }
            bool cls_found = false;
            if (nlen == flen + 2)
                for (size_t c = 0; c < NCLASSES; c++)
                    if (nclasses[c].letter == colon[1]) {
                        op.cls = (uint8_t)c;
                        cls_found = true;
                    }
            found = found && cls_found;
            op.code = OP_NOUN;
        } else {
            for (size_t k = 0; k < NELEM(slot_names) && !found; k++)
                if (strlen(slot_names[k].name) == nlen &&
                    !memcmp(slot_names[k].name, name, nlen)) {
                    op.code = (uint8_t)slot_names[k].op;
                    found = true;
                }
            for (size_t k = 0; k < NELEM(inflected) && !found; k++) {
                size_t pl = strlen(inflected[k].prefix);
                if (nlen < pl || memcmp(inflected[k].prefix, name, pl))
                    continue;
                const char *rest = name + pl;
                size_t rl = nlen - pl;
                if (inflected[k].op == OP_VERB) {
                    const char *f = rl == 1 ? strchr("ipst", rest[0]) : NULL;
                    if (!f || !*f)
                        continue;
                    op.form = (uint8_t)(f - "ipst");
                } else if (rl == 0 || (rl == 1 && rest[0] == 'd')) {
                    op.form = (uint8_t)rl;
                } else {
                    continue;
                }
                op.code = (uint8_t)inflected[k].op;
                op.cls = inflected[k].list;
                found = true;
            }
        }
        if (!found)
            goto bad;
        add_op(g, cap, op);
        s = close + 1;
    }
    t->n = g->nops - t->first;
    return true;
bad:
    fprintf(stderr, "generate: internal error: bad template \"%s\"\n", s);
    return false;
}

static bool gen_init(struct gen *g)
{
    static const struct { enum zlist id; uint32_t n, q; } zl[] = {
        {Z_TOWN, NELEM(towns), 2}, {Z_DISTRICT, 6, 2}, {Z_ORG, NELEM(organizers), 2},
        {Z_THEME, NELEM(themes), 1}, {Z_SEG, NELEM(segregations), 1},
        {Z_GOOD, NELEM(goods), 2}, {Z_PROB, NELEM(problems), 2},
        {Z_ADJ, NELEM(adjs), 3}, {Z_VSTUDY, NELEM(verbs_study), 3},
        {Z_VCOUNTER, NELEM(verbs_counter), 2}, {Z_VBUILD, NELEM(verbs_build), 3},
        {Z_FIRST, NELEM(first_names), 4}, {Z_LAST, NELEM(last_names), 3},
        {Z_ROLE, NELEM(roles), 3}, {Z_VENUE, NELEM(venues), 3},
        {Z_STREET, NELEM(streets), 3}, {Z_CFIRST, NELEM(compound_firsts), 2},
    };
    for (size_t k = 0; k < NELEM(zl); k++)
        zipf_init(&g->z[zl[k].id], zl[k].n, zl[k].q);
    for (size_t c = 0; c < NCLASSES; c++)
        zipf_init(&g->zn[c], nclasses[c].n, 2);
    uint32_t cap = 0;
    for (int s = 0; s < S_COUNT; s++) {
        zipf_init(&g->zt[s], tsets[s].n, tsets[s].q);
        g->tm[s] = malloc(tsets[s].n * sizeof *g->tm[s]);
        if (!g->tm[s])
            die_oom();
        for (uint32_t k = 0; k < tsets[s].n; k++)
            if (!compile_template(g, &cap, tsets[s].v[k], &g->tm[s][k]))
                return false;
    }
    for (int t = 0; t < P_NTYPES; t++)
        g->made_bucket[t] = -1;
    return true;
}

static void gen_free(struct gen *g)
{
    for (int k = 0; k < Z_COUNT; k++)
        free(g->z[k].cum);
    for (size_t c = 0; c < NCLASSES; c++)
        free(g->zn[c].cum);
    for (int s = 0; s < S_COUNT; s++) {
        free(g->zt[s].cum);
        free(g->tm[s]);
    }
    free(g->ops);
    lex_free(&g->lex);
    free(g->page.text.p);
    free(g->scratch.text.p);
    free(g->out_buf.p);
    free(g->path.p);
}

/* ------------------------------------------------------------------------ */
/* Dates, in days since 1970-01-01 (Howard Hinnant's civil calendar
 * algorithms), so that no time zone or libc calendar is involved. */

static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* ------------------------------------------------------------------------ */
/* Text generation into the page's arena. */

static struct span span_from(const struct buf *b, size_t start)
{
    return (struct span){(uint32_t)start, (uint32_t)(b->n - start)};
}

static const char *span_ptr(const struct page *pg, struct span s)
{
    return pg->text.p + s.off;
}

/* Sentences start with a slot now and then, which may be lower case. */
static void capitalise(char *s, size_t len)
{
    if (len == 0)
        return;
    unsigned char c = (unsigned char)s[0];
    if (c >= 'a' && c <= 'z')
        s[0] = (char)(c - 32);
    else if (len >= 2 && c == 0xC3) {
        unsigned char c2 = (unsigned char)s[1];
        if (c2 >= 0xA0 && c2 <= 0xBE && c2 != 0xB7)   /* à..þ but not ÷ */
            s[1] = (char)(c2 - 0x20);
    }
}

static unsigned count_words(const char *s, size_t len)
{
    unsigned w = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool sp = s[i] == ' ' || s[i] == '\n';
        if (!sp && !in)
            w++;
        in = !sp;
    }
    return w;
}

static void put_noun_form(struct buf *b, const char *first, const char *form)
{
    buf_puts(b, first);
    buf_puts(b, form);
}

static void put_noun(struct gen *g, struct buf *b, struct rng *r, int form, int cls)
{
    const char *first = "";
    if (cls == (int)CLASS_COMPOUND)
        first = compound_firsts[zipf_pick(&g->z[Z_CFIRST], r)];
    const struct noun *n = &nclasses[cls].v[zipf_pick(&g->zn[cls], r)];
    const struct adj *a = NULL;
    if (form == F_AAN || form == F_AND || form == F_ANP || form == F_ANDP)
        a = &adjs[zipf_pick(&g->z[Z_ADJ], r)];
    switch (form) {
    case F_N: put_noun_form(b, first, n->f[0]); break;
    case F_AN:
        buf_puts(b, n->neuter ? "ett " : "en ");
        put_noun_form(b, first, n->f[0]);
        break;
    case F_AAN:
        buf_puts(b, n->neuter ? "ett " : "en ");
        buf_puts(b, n->neuter ? a->neu : a->utr);
        buf_putc(b, ' ');
        put_noun_form(b, first, n->f[0]);
        break;
    case F_ND: put_noun_form(b, first, n->f[1]); break;
    case F_AND:
        buf_puts(b, n->neuter ? "det " : "den ");
        buf_puts(b, a->pl);
        buf_putc(b, ' ');
        put_noun_form(b, first, n->f[1]);
        break;
    case F_NP: put_noun_form(b, first, n->f[2]); break;
    case F_ANP:
        buf_puts(b, a->pl);
        buf_putc(b, ' ');
        put_noun_form(b, first, n->f[2]);
        break;
    case F_NPD: put_noun_form(b, first, n->f[3]); break;
    case F_ANDP:
        buf_puts(b, "de ");
        buf_puts(b, a->pl);
        buf_putc(b, ' ');
        put_noun_form(b, first, n->f[3]);
        break;
    }
}

static void put_theme(struct buf *b, const struct theme *list, const struct zipf *z,
                      struct rng *r, int definite)
{
    const struct theme *t = &list[zipf_pick(z, r)];
    buf_puts(b, definite ? t->def : t->indef);
}

/* Most numbers in such texts are small. */
static uint32_t pick_num(struct rng *r)
{
    return rng_chance(r, 80) ? rng_range(r, 2, 40) : rng_range(r, 41, 280);
}

static void put_money(struct buf *b, struct rng *r)
{
    switch (rng_below(r, 3)) {
    case 0:
        buf_putu(b, rng_range(r, 1, 12), 0);
        buf_puts(b, " miljoner kronor");
        break;
    case 1:
        buf_putu(b, rng_range(r, 1, 9), 0);
        buf_puts(b, ",5 miljoner kronor");
        break;
    default:
        buf_putu(b, rng_range(r, 2, 9), 0);
        buf_puts(b, "00 000 kronor");
    }
}

static bool recently_used(const struct page *pg, enum tset s, uint32_t k)
{
    uint16_t key = (uint16_t)(s << 8 | k);
    unsigned n = pg->nrecent < NRECENT ? pg->nrecent : NRECENT;
    for (unsigned i = 0; i < n; i++)
        if (pg->recent[i] == key)
            return true;
    return false;
}

/* Appends one expansion of a random template of set s; returns its words. */
static unsigned expand(struct gen *g, struct page *pg, struct rng *r, enum tset s)
{
    /* A few redraws keep a page from repeating a sentence, as a writer would
     * not; short lists (titles, headings) may still repeat. */
    uint32_t pick = zipf_pick(&g->zt[s], r);
    for (int tries = 0; tries < 4 && recently_used(pg, s, pick); tries++)
        pick = zipf_pick(&g->zt[s], r);
    pg->recent[pg->nrecent++ % NRECENT] = (uint16_t)(s << 8 | pick);
    const struct tmpl *t = &g->tm[s][pick];
    struct buf *b = &pg->text;
    size_t start = b->n;
    for (uint32_t k = 0; k < t->n; k++) {
        const struct op *op = &g->ops[t->first + k];
        switch ((enum opcode)op->code) {
        case OP_LIT: buf_put(b, op->lit, op->len); break;
        case OP_TOWN: buf_puts(b, pg->town->name); break;
        case OP_TOWN2: buf_puts(b, towns[zipf_pick(&g->z[Z_TOWN], r)].name); break;
        case OP_KOMMUN: buf_puts(b, pg->town->org); break;
        case OP_DISTRICT: {
            /* The district was written earlier in this same arena; copy it
             * through an offset since buf_put may move the arena. */
            buf_reserve(b, pg->district.len);
            memcpy(b->p + b->n, b->p + pg->district.off, pg->district.len);
            b->n += pg->district.len;
            break;
        }
        case OP_YEAR: {
            int y = pg->year - (int)rng_below(r, 3);
            buf_putu(b, (unsigned long)(y < 2014 ? 2014 : y), 0);
            break;
        }
        case OP_YEAR0: buf_putu(b, (unsigned long)pg->year, 0); break;
        case OP_ORG: buf_puts(b, organizers[zipf_pick(&g->z[Z_ORG], r)]); break;
        case OP_PERSON:
            buf_puts(b, first_names[zipf_pick(&g->z[Z_FIRST], r)]);
            buf_putc(b, ' ');
            buf_puts(b, last_names[zipf_pick(&g->z[Z_LAST], r)]);
            break;
        case OP_ROLE: buf_puts(b, roles[zipf_pick(&g->z[Z_ROLE], r)]); break;
        case OP_THEME: put_theme(b, themes, &g->z[Z_THEME], r, op->form); break;
        case OP_SEG: put_theme(b, segregations, &g->z[Z_SEG], r, op->form); break;
        case OP_GOOD: put_theme(b, goods, &g->z[Z_GOOD], r, op->form); break;
        case OP_PROB: put_theme(b, problems, &g->z[Z_PROB], r, op->form); break;
        case OP_VERB: {
            static const struct verb *const lists[] = {verbs_study, verbs_counter, verbs_build};
            const struct verb *v = &lists[op->cls][zipf_pick(&g->z[Z_VSTUDY + op->cls], r)];
            const char *const forms[] = {v->inf, v->pres, v->sup, v->past};
            buf_puts(b, forms[op->form]);
            break;
        }
        case OP_NUM: buf_putu(b, pick_num(r), 0); break;
        case OP_PCT: buf_putu(b, rng_range(r, 5, 85), 0); break;
        case OP_MKR: put_money(b, r); break;
        case OP_DM:
            buf_putu(b, rng_range(r, 1, 28), 0);
            buf_putc(b, ' ');
            buf_puts(b, months[rng_below(r, 12)]);
            break;
        case OP_DEADLINE: {
            /* Registration closes one to three weeks before the page's date. */
            int y, m, d;
            civil_from_days(pg->dayno - (long)rng_range(r, 7, 21), &y, &m, &d);
            buf_putu(b, (unsigned long)d, 0);
            buf_putc(b, ' ');
            buf_puts(b, months[m - 1]);
            break;
        }
        case OP_ORD: buf_puts(b, ordinals[rng_below(r, NELEM(ordinals))]); break;
        case OP_NOUN: put_noun(g, b, r, op->form, op->cls); break;
        case OP_WORD: buf_puts(b, lex_form(&g->lex, lex_pick(&g->lex, LX_WORD, r), r)); break;
        case OP_WNOUN: buf_puts(b, lex_form(&g->lex, lex_pick(&g->lex, LX_NOUN, r), r)); break;
        case OP_WCOMPOUND: put_compound(&g->lex, g->seed, b, r); break;
        case OP_WNAME: put_name(&g->lex, b, r, false); break;
        case OP_WNAMEG: put_name(&g->lex, b, r, true); break;
        }
    }
    capitalise(b->p + start, b->n - start);
    return count_words(b->p + start, b->n - start);
}

static struct block *add_block(struct page *pg, enum bkind kind)
{
    /* MAX_BLOCKS is above the most any page type asks for. */
    struct block *bl = &pg->blocks[pg->nblocks++];
    memset(bl, 0, sizeof *bl);
    bl->kind = kind;
    return bl;
}

/* Writes paragraphs of sentences from set s (the very first from set first),
 * wmin..wmax words in all, split as evenly as sentences allow, with nh2
 * headings before some of them; paras 0 means one per ~90 words. With
 * first_only, stops after the first paragraph: the random stream up to there
 * is the same, so a teaser shows what the page starts with. */
static void fill_paragraphs(struct gen *g, struct page *pg, struct rng *r, enum tset first,
                            enum tset s, unsigned paras, unsigned wmin, unsigned wmax,
                            unsigned nh2, bool first_only)
{
    unsigned target = rng_range(r, wmin, wmax - 30);
    if (paras == 0)
        paras = 1 + target / 90;
    if (paras > 8)
        paras = 8;
    bool h2_before[8] = {false};
    for (unsigned k = 0; k < nh2 && paras > 1; k++)
        h2_before[rng_range(r, 1, paras - 1)] = true;
    unsigned total = 0;
    bool full = false;
    struct buf *b = &pg->text;
    for (unsigned p = 0; p < paras && !full; p++) {
        size_t undo_text = b->n;
        int undo_blocks = pg->nblocks;
        if (h2_before[p]) {
            size_t start = b->n;
            expand(g, pg, r, S_H2);
            add_block(pg, B_H2)->text = span_from(b, start);
        }
        /* Aim at a running total, so that overshoots do not add up. */
        unsigned upto = target * (p + 1) / paras;
        unsigned words = 0;
        size_t start = b->n;
        bool last = p + 1 == paras;
        while (words == 0 || total < upto || (last && total < wmin)) {
            size_t mark = b->n;
            if (words)
                buf_putc(b, ' ');
            enum tset set = total == 0 && words == 0 ? first : s;
            /* The draw only with a lexicon: without one the output stays
             * what it was before --words existed. */
            if (set == s && g->lex.nlemmas && rng_chance(r, VOCAB_SHARE))
                set = S_VOCAB;
            unsigned w = expand(g, pg, r, set);
            if (total + w > wmax) {
                b->n = mark;   /* this sentence would pass the maximum */
                full = true;
                break;
            }
            words += w;
            total += w;
        }
        if (words == 0) {      /* no room left even for one sentence */
            b->n = undo_text;
            pg->nblocks = undo_blocks;
            return;
        }
        add_block(pg, B_P)->text = span_from(b, start);
        if (first_only)
            return;
    }
}

/* ASCII slug from the title: å ä → a, ö → o, é → e, others → '-'. */
static void put_slug(struct page *pg)
{
    struct buf *b = &pg->text;
    size_t start = b->n;
    size_t len = pg->title.len;
    bool dash = false;
    /* The slug is never longer than the title; reserving first keeps t,
     * which points into the same arena, valid. */
    buf_reserve(b, len + 4);
    const char *t = span_ptr(pg, pg->title);
    size_t i = 0;
    for (; i < len && b->n - start < 60; i++) {
        unsigned char c = (unsigned char)t[i];
        char out = 0;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out = (char)c;
        else if (c >= 'A' && c <= 'Z')
            out = (char)(c + 32);
        else if (c == 0xC3 && i + 1 < len) {
            unsigned char c2 = (unsigned char)t[++i];
            if (c2 == 0xA5 || c2 == 0xA4 || c2 == 0x85 || c2 == 0x84)
                out = 'a';
            else if (c2 == 0xB6 || c2 == 0x96)
                out = 'o';
            else if (c2 == 0xA9 || c2 == 0x89)
                out = 'e';
        } else if (c >= 0x80) {
            while (i + 1 < len && ((unsigned char)t[i + 1] & 0xC0) == 0x80)
                i++;
        }
        if (out) {
            if (dash && b->n > start)
                b->p[b->n++] = '-';
            b->p[b->n++] = out;
            dash = false;
        } else {
            dash = true;
        }
    }
    /* A long title is cut at a word boundary, not inside a word. */
    if (i < len && !dash) {
        size_t k = b->n;
        while (k > start + 20 && b->p[k - 1] != '-')
            k--;
        if (k > start + 20)
            b->n = k - 1;
    }
    if (b->n == start)
        buf_puts(b, "sida");
    pg->slug = span_from(b, start);
}

static enum ptype page_type(struct rng *r)
{
    uint32_t u = rng_below(r, 100);
    return u < 65 ? P_ARTIKEL : u < 95 ? P_SEMINARIUM : P_LISTA;
}

static enum ptype peek_type(const struct gen *g, uint32_t idx)
{
    struct rng r = page_rng(g->seed, idx);
    return page_type(&r);
}

static void put_date_text(struct buf *b, const struct page *pg, bool year)
{
    buf_putu(b, (unsigned long)pg->day, 0);
    buf_putc(b, ' ');
    buf_puts(b, months[pg->month - 1]);
    if (year) {
        buf_putc(b, ' ');
        buf_putu(b, (unsigned long)pg->year, 0);
    }
}

static void put_iso_date(struct buf *b, const struct page *pg)
{
    buf_putu(b, (unsigned long)pg->year, 4);
    buf_putc(b, '-');
    buf_putu(b, (unsigned long)pg->month, 2);
    buf_putc(b, '-');
    buf_putu(b, (unsigned long)pg->day, 2);
}

/* "artikel/0012/slug-12345", the id without ".html". */
static void put_page_path(struct buf *b, enum ptype type, uint32_t idx, const char *slug,
                          size_t slug_len)
{
    buf_puts(b, type_names[type]);
    buf_putc(b, '/');
    buf_putu(b, idx / BUCKET_SIZE, 4);
    buf_putc(b, '/');
    buf_put(b, slug, slug_len);
    buf_putc(b, '-');
    buf_putu(b, idx, 0);
}

static void build_seminar_fields(struct gen *g, struct page *pg, struct rng *r)
{
    struct buf *b = &pg->text;
    size_t start = b->n;
    expand(g, pg, r, S_VAD);
    pg->vad = span_from(b, start);

    /* About one in five seminar pages leave out the year, as older ones did. */
    start = b->n;
    bool no_year = rng_chance(r, 20);
    put_date_text(b, pg, !no_year);
    if (no_year || rng_chance(r, 50)) {
        unsigned from = rng_range(r, 8, 15) * 60;
        from += 15 * rng_below(r, 3);
        unsigned to = from + 30 * rng_range(r, 2, 10);
        buf_putc(b, ' ');
        buf_putu(b, from / 60, 2);
        buf_putc(b, ':');
        buf_putu(b, from % 60, 2);
        buf_putc(b, '-');
        buf_putu(b, to / 60, 2);
        buf_putc(b, ':');
        buf_putu(b, to % 60, 2);
    }
    pg->tid = span_from(b, start);

    start = b->n;
    if (rng_chance(r, 75)) {
        buf_puts(b, venues[zipf_pick(&g->z[Z_VENUE], r)]);
        buf_puts(b, ", ");
    }
    buf_puts(b, streets[zipf_pick(&g->z[Z_STREET], r)]);
    buf_putc(b, ' ');
    unsigned nr = rng_range(r, 1, 90);
    buf_putu(b, nr, 0);
    if (rng_chance(r, 15)) {
        buf_putc(b, '-');
        buf_putu(b, nr + 2, 0);
    }
    buf_puts(b, ", ");
    buf_puts(b, pg->town->name);
    pg->plats = span_from(b, start);

    start = b->n;
    uint32_t who = rng_below(r, 100);
    if (who < 25) {
        buf_puts(b, pg->town->org);
    } else if (who < 35) {
        buf_puts(b, SITE_NAME " och ");
        buf_puts(b, pg->town->org);
    } else {
        buf_puts(b, organizers[zipf_pick(&g->z[Z_ORG], r)]);
    }
    pg->arr = span_from(b, start);
}

static void build_page(struct gen *g, struct page *pg, uint32_t idx, bool head_only);

/* The first TEASER_WORDS words of the other page's opening text. */
static void add_teaser(struct gen *g, struct page *pg, uint32_t j)
{
    struct page *o = &g->scratch;
    build_page(g, o, j, true);
    struct buf *b = &pg->text;
    struct block *bl = add_block(pg, B_TEASER);

    size_t start = b->n;
    buf_put(b, span_ptr(o, o->title), o->title.len);
    bl->title = span_from(b, start);

    start = b->n;
    buf_putc(b, '/');
    put_page_path(b, o->type, j, span_ptr(o, o->slug), o->slug.len);
    bl->href = span_from(b, start);

    start = b->n;
    const char *s = span_ptr(o, o->lead);
    size_t len = o->lead.len, cut = len;
    unsigned words = 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] == ' ' && ++words == TEASER_WORDS) {
            cut = i;
            break;
        }
    buf_put(b, s, cut);
    if (cut < len)
        buf_puts(b, "…");
    bl->text = span_from(b, start);
}

static void build_listing(struct gen *g, struct page *pg, struct rng *r)
{
    /* News-only, calendar-only or mixed, like the site's listing pages. */
    uint32_t flavour = rng_below(r, 3);
    unsigned n = rng_range(r, 4, 8);
    uint32_t chosen[8];
    /* Link to recent pages, those just before this one, as a news listing
     * does; not to pages anywhere below N, so that a bigger corpus only adds
     * pages to a smaller one (the first few pages look a little ahead). */
    uint32_t lo = pg->idx > LISTING_WINDOW ? pg->idx - LISTING_WINDOW : 0;
    uint32_t hi = pg->idx > 16 ? pg->idx : 16;
    for (unsigned k = 0; k < n; k++) {
        uint32_t j = 0;
        bool ok = false;
        for (int tries = 0; tries < 64 && !ok; tries++) {
            j = lo + rng_below(r, hi - lo);
            if (j >= g->npages)
                continue;
            enum ptype t = peek_type(g, j);
            ok = j != pg->idx && t != P_LISTA &&
                 (flavour == 0 || (flavour == 1) == (t == P_ARTIKEL));
            for (unsigned c = 0; c < k && ok; c++)
                ok = chosen[c] != j;
        }
        /* Tiny corpora may have no fitting page: take any other one, or,
         * alone in the corpus, have fewer teasers. */
        if (!ok && g->npages > 1) {
            j = rng_below(r, g->npages - 1);
            j += j >= pg->idx;
        } else if (!ok) {
            break;
        }
        chosen[k] = j;
        add_teaser(g, pg, j);
    }
}

static void build_page(struct gen *g, struct page *pg, uint32_t idx, bool head_only)
{
    struct rng r = page_rng(g->seed, idx);
    struct buf *b = &pg->text;
    b->n = 0;
    pg->nblocks = 0;
    pg->nrecent = 0;
    pg->idx = idx;
    pg->type = page_type(&r);
    pg->town = &towns[zipf_pick(&g->z[Z_TOWN], &r)];

    size_t start = b->n;
    uint32_t nd = 0;
    while (nd < NELEM(pg->town->districts) && pg->town->districts[nd])
        nd++;
    if (nd && rng_chance(&r, 85)) {
        buf_puts(b, pg->town->districts[zipf_pick(&g->z[Z_DISTRICT], &r) % nd]);
    } else {
        buf_puts(b, generic_districts[rng_below(&r, NELEM(generic_districts))]);
        buf_puts(b, pg->town->name);
    }
    pg->district = span_from(b, start);

    long first_day = days_from_civil(2015, 1, 1);
    long last_day = days_from_civil(2026, 12, 31);
    pg->dayno = first_day + (long)rng_below(&r, (uint32_t)(last_day - first_day + 1));
    civil_from_days(pg->dayno, &pg->year, &pg->month, &pg->day);

    switch (pg->type) {
    case P_ARTIKEL: {
        unsigned words = 0;
        for (int tries = 0; tries < 20; tries++) {
            start = b->n;
            words = expand(g, pg, &r, S_ATITLE);
            if (words >= 4 && words <= 10)
                break;
            b->n = start;
        }
        if (words < 4 || words > 10) {
            buf_puts(b, "Nyheter om segregation i ");
            buf_puts(b, pg->town->name);
        }
        pg->title = span_from(b, start);
        put_slug(pg);
        start = b->n;
        expand(g, pg, &r, S_LEAD);
        if (rng_chance(&r, 40)) {
            buf_putc(b, ' ');
            expand(g, pg, &r, S_BODY);
        }
        pg->lead = span_from(b, start);
        if (head_only)
            return;
        /* Separate statements: the order in which C evaluates arguments is
         * unspecified, and the draws must come in the same order everywhere. */
        unsigned paras = rng_range(&r, 3, 8);
        unsigned nh2 = rng_range(&r, 1, 2);
        fill_paragraphs(g, pg, &r, S_BODY, S_BODY, paras, 150, 700, nh2, false);
        break;
    }
    case P_SEMINARIUM:
        start = b->n;
        expand(g, pg, &r, S_STITLE);
        pg->title = span_from(b, start);
        put_slug(pg);
        build_seminar_fields(g, pg, &r);
        fill_paragraphs(g, pg, &r, S_SOPEN, S_SDESC, 0, 60, 250, 0, head_only);
        pg->lead = pg->blocks[0].text;
        break;
    case P_LISTA:
        start = b->n;
        expand(g, pg, &r, S_LTITLE);
        pg->title = span_from(b, start);
        put_slug(pg);
        start = b->n;
        buf_puts(b, "Här hittar du nyheter, seminarier och rapporter från " SITE_NAME ".");
        pg->lead = span_from(b, start);
        if (!head_only)
            build_listing(g, pg, &r);
        break;
    case P_NTYPES:
        break;
    }
}

/* ------------------------------------------------------------------------ */
/* Rendering. */

/* The chrome follows the hand-written pages in corpus/ (see its README), so
 * that the marker strings tests look for stay out of the extracted body. */
static const char chrome_top[] =
    "<a class=\"skip\" href=\"#content\">Hoppa till huvudinnehållet</a>\n"
    "<header>\n"
    "<div class=\"logo\">" SITE_NAME "</div>\n"
    "<nav><ul>"
    "<li><a href=\"/\">Start</a></li>"
    "<li><a href=\"/om-oss\">Om oss</a></li>"
    "<li><a href=\"/aktuellt\">Aktuellt</a></li>"
    "<li><a href=\"/kalender\">Kalender</a></li>"
    "<li><a href=\"/kontakt\">Kontakt</a></li>"
    "</ul></nav>\n"
    "<form class=\"sok\" action=\"/\" method=\"get\" role=\"search\">"
    "<label for=\"q\">Sök</label> <input id=\"q\" name=\"q\" type=\"search\"> "
    "<button type=\"submit\">Sök</button></form>\n"
    "</header>\n";

static const char chrome_bottom[] =
    "<footer>\n"
    "<p>" SITE_NAME ", Box 123, 111 22 Stockholm</p>\n"
    "<a class=\"till-toppen\" href=\"#top\">Tillbaka till toppen</a>\n"
    "</footer>\n";

static void put_span_html(struct buf *o, const struct page *pg, struct span s)
{
    put_html(o, span_ptr(pg, s), s.len);
}

static void put_field(struct buf *o, const struct page *pg, const char *label, struct span s)
{
    buf_puts(o, "<p><strong>");
    buf_puts(o, label);
    buf_puts(o, "</strong> ");
    put_span_html(o, pg, s);
    buf_puts(o, "</p>\n");
}

static void render_html(const struct page *pg, struct buf *o)
{
    o->n = 0;
    buf_puts(o, "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    put_span_html(o, pg, pg->title);
    buf_puts(o, " | " SITE_NAME "</title>\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"date\" content=\"");
    put_iso_date(o, pg);
    buf_puts(o, "\">\n<meta name=\"type\" content=\"");
    buf_puts(o, type_names[pg->type]);
    buf_puts(o, "\">\n<link rel=\"canonical\" href=\"" SITE_URL);
    put_page_path(o, pg->type, pg->idx, span_ptr(pg, pg->slug), pg->slug.len);
    buf_puts(o, "\">\n</head>\n<body id=\"top\">\n");
    buf_put(o, chrome_top, sizeof chrome_top - 1);
    buf_puts(o, "<main id=\"content\">\n<article>\n<h1>");
    put_span_html(o, pg, pg->title);
    buf_puts(o, "</h1>\n");
    if (pg->type == P_ARTIKEL) {
        buf_puts(o, "<p class=\"published\">Publicerad <time datetime=\"");
        put_iso_date(o, pg);
        buf_puts(o, "\">");
        put_date_text(o, pg, true);
        buf_puts(o, "</time></p>\n");
    }
    if (pg->type == P_SEMINARIUM) {
        buf_puts(o, "<div class=\"fakta\">\n");
        put_field(o, pg, "Vad?", pg->vad);
        put_field(o, pg, "Tid:", pg->tid);
        put_field(o, pg, "Plats:", pg->plats);
        put_field(o, pg, "Arrangör:", pg->arr);
        buf_puts(o, "</div>\n");
    } else {
        buf_puts(o, "<p class=\"lead\">");
        put_span_html(o, pg, pg->lead);
        buf_puts(o, "</p>\n");
    }
    for (int k = 0; k < pg->nblocks; k++) {
        const struct block *bl = &pg->blocks[k];
        switch (bl->kind) {
        case B_P:
            buf_puts(o, "<p>");
            put_span_html(o, pg, bl->text);
            buf_puts(o, "</p>\n");
            break;
        case B_H2:
            buf_puts(o, "<h2>");
            put_span_html(o, pg, bl->text);
            buf_puts(o, "</h2>\n");
            break;
        case B_TEASER:
            buf_puts(o, "<div class=\"teaser\"><h2><a href=\"");
            put_span_html(o, pg, bl->href);
            buf_puts(o, "\">");
            put_span_html(o, pg, bl->title);
            buf_puts(o, "</a></h2><p>");
            put_span_html(o, pg, bl->text);
            buf_puts(o, "</p></div>\n");
            break;
        }
    }
    buf_puts(o, "</article>\n</main>\n");
    buf_put(o, chrome_bottom, sizeof chrome_bottom - 1);
    buf_puts(o, "</body>\n</html>\n");
}

/* The body is the plain text of the article element, without the title, so
 * the JSON and the HTML form of a page index alike. It is assembled in the
 * page arena, past everything the spans refer to. */
static struct span plain_body(struct page *pg)
{
    struct buf *b = &pg->text;
    size_t start = b->n;
    if (pg->type == P_SEMINARIUM) {
        static const char *const labels[] = {"Vad? ", "\nTid: ", "\nPlats: ", "\nArrangör: "};
        const struct span f[] = {pg->vad, pg->tid, pg->plats, pg->arr};
        for (int k = 0; k < 4; k++) {
            buf_puts(b, labels[k]);
            buf_reserve(b, f[k].len);
            memcpy(b->p + b->n, b->p + f[k].off, f[k].len);
            b->n += f[k].len;
        }
    } else {
        buf_reserve(b, pg->lead.len);
        memcpy(b->p + b->n, b->p + pg->lead.off, pg->lead.len);
        b->n += pg->lead.len;
    }
    for (int k = 0; k < pg->nblocks; k++) {
        const struct block *bl = &pg->blocks[k];
        buf_puts(b, "\n\n");
        if (bl->kind == B_TEASER) {
            buf_reserve(b, bl->title.len + 1);
            memcpy(b->p + b->n, b->p + bl->title.off, bl->title.len);
            b->n += bl->title.len;
            buf_putc(b, '\n');
        }
        buf_reserve(b, bl->text.len);
        memcpy(b->p + b->n, b->p + bl->text.off, bl->text.len);
        b->n += bl->text.len;
    }
    return span_from(b, start);
}

static void put_json_span(struct buf *o, const struct page *pg, struct span s)
{
    put_json(o, span_ptr(pg, s), s.len);
}

static void render_json(struct page *pg, struct buf *o)
{
    struct span body = plain_body(pg);
    o->n = 0;
    /* The page path is built in o itself, then quoted: it has nothing to escape. */
    buf_puts(o, "{\"id\":\"");
    put_page_path(o, pg->type, pg->idx, span_ptr(pg, pg->slug), pg->slug.len);
    buf_puts(o, ".html\",\"title\":");
    put_json_span(o, pg, pg->title);
    buf_puts(o, ",\"body\":");
    put_json_span(o, pg, body);
    buf_puts(o, ",\"url\":\"" SITE_URL);
    put_page_path(o, pg->type, pg->idx, span_ptr(pg, pg->slug), pg->slug.len);
    buf_puts(o, "\",\"type\":\"");
    buf_puts(o, type_names[pg->type]);
    buf_puts(o, "\",\"date\":\"");
    put_iso_date(o, pg);
    buf_putc(o, '"');
    if (pg->type == P_SEMINARIUM) {
        buf_puts(o, ",\"place\":");
        put_json(o, pg->town->name, strlen(pg->town->name));
        buf_puts(o, ",\"organizer\":");
        put_json_span(o, pg, pg->arr);
    }
    buf_puts(o, "}\n");
}

/* ------------------------------------------------------------------------ */
/* Output. */

static int io_error(const char *path)
{
    fprintf(stderr, "generate: %s: %s\n", path, strerror(errno));
    return 1;
}

/* mkdir -p: every missing component is created; existing ones are fine. */
static int mkdir_p(const char *path)
{
    size_t len = strlen(path);
    char *tmp = malloc(len + 1);
    if (!tmp)
        die_oom();
    memcpy(tmp, path, len + 1);
    int rc = 0;
    for (size_t i = 1; i <= len && rc == 0; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        if (tmp[i - 1] == '/')
            continue;
        char saved = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
            rc = io_error(tmp);
        tmp[i] = saved;
    }
    free(tmp);
    return rc;
}

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
        return io_error(path);
    return 0;
}

static int write_html(struct gen *g, const struct page *pg)
{
    struct buf *p = &g->path;
    enum ptype t = pg->type;
    long bucket = (long)(pg->idx / BUCKET_SIZE);
    bool new_bucket = g->made_bucket[t] != bucket;
    /* Pages come in index order, so each directory is made once. */
    p->n = 0;
    buf_puts(p, g->out);
    buf_putc(p, '/');
    buf_puts(p, type_names[t]);
    if (new_bucket && g->made_bucket[t] < 0) {
        buf_putc(p, '\0');
        if (make_dir(p->p))
            return 1;
        p->n--;
    }
    buf_putc(p, '/');
    buf_putu(p, (unsigned long)bucket, 4);
    if (new_bucket) {
        buf_putc(p, '\0');
        if (make_dir(p->p))
            return 1;
        p->n--;
        g->made_bucket[t] = bucket;
    }
    buf_putc(p, '/');
    buf_put(p, span_ptr(pg, pg->slug), pg->slug.len);
    buf_putc(p, '-');
    buf_putu(p, pg->idx, 0);
    buf_puts(p, ".html");
    buf_putc(p, '\0');

    FILE *f = fopen(p->p, "wb");
    if (!f)
        return io_error(p->p);
    size_t n = g->out_buf.n;
    if (fwrite(g->out_buf.p, 1, n, f) != n) {
        int rc = io_error(p->p);
        fclose(f);
        return rc;
    }
    if (fclose(f) != 0)
        return io_error(p->p);
    return 0;
}

static int run(struct gen *g)
{
    const char *where = g->out;
    if (g->jsonl) {
        if (strcmp(g->out, "-") == 0) {
            g->jf = stdout;
            where = "standard output";
        } else {
            /* Like HTML mode, create the directories the file goes into. */
            const char *slash = strrchr(g->out, '/');
            if (slash && slash != g->out) {
                size_t dl = (size_t)(slash - g->out);
                char *dir = malloc(dl + 1);
                if (!dir)
                    die_oom();
                memcpy(dir, g->out, dl);
                dir[dl] = '\0';
                int rc = mkdir_p(dir);
                free(dir);
                if (rc)
                    return rc;
            }
            g->jf = fopen(g->out, "wb");
            if (!g->jf)
                return io_error(g->out);
        }
        /* A large buffer: JSON lines are small and many. */
        if (setvbuf(g->jf, NULL, _IOFBF, 1 << 20) != 0)
            return io_error(where);
    } else if (mkdir_p(g->out)) {
        return 1;
    }

    for (uint32_t i = 0; i < g->npages; i++) {
        build_page(g, &g->page, i, false);
        if (g->jsonl) {
            render_json(&g->page, &g->out_buf);
            size_t n = g->out_buf.n;
            if (fwrite(g->out_buf.p, 1, n, g->jf) != n) {
                int rc = io_error(where);
                if (g->jf != stdout)
                    fclose(g->jf);
                return rc;
            }
        } else {
            render_html(&g->page, &g->out_buf);
            if (write_html(g, &g->page))
                return 1;
        }
    }

    if (g->jsonl) {
        if (g->jf == stdout ? fflush(stdout) != 0 || ferror(stdout) : fclose(g->jf) != 0)
            return io_error(where);
    }
    fprintf(stderr, "generated %lu pages in %s\n", (unsigned long)g->npages, where);
    return 0;
}

/* ------------------------------------------------------------------------ */

static void usage(void)
{
    fputs("usage: generate [--seed S] [--words FILE] [--jsonl] N OUTDIR\n"
          "Writes N (1 to 1000000) synthetic Swedish pages shaped like the agency's site:\n"
          "articles (~65%), seminar pages (~30%) and listing pages (~5%). The same N,\n"
          "seed, word list and options give byte-identical output, and a bigger N only\n"
          "adds pages (from N = 16 on): page i is the same in every corpus that has it.\n"
          "\n"
          "  --seed S     seed of the generator, an unsigned 64-bit integer (default 1)\n"
          "  --words FILE Swedish word forms for the prose's long tail: hunspell-sv's\n"
          "               entries expanded by unmunch, each as a line =FLAGS then its\n"
          "               forms (`make build/sv-forms.txt` writes it). Without it the\n"
          "               text comes from the built-in lists alone (~4,000 words)\n"
          "  --jsonl      write JSON lines to the file OUTDIR ('-': standard output)\n"
          "               instead of HTML files OUTDIR/TYPE/NNNN/SLUG-I.html\n"
          "  --help       show this help\n"
          "\n"
          "Exit status: 0 done, 1 I/O error, 2 usage error.\n",
          stdout);
}

static int usage_error(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "generate: %s: %s\n", msg, arg);
    else
        fprintf(stderr, "generate: %s\n", msg);
    fputs("usage: generate [--seed S] [--words FILE] [--jsonl] N OUTDIR (see --help)\n", stderr);
    return 2;
}

/* strtoull accepts signs and spaces; a page count or seed must be digits. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

int main(int argc, char **argv)
{
    struct gen g;
    memset(&g, 0, sizeof g);
    g.seed = DEFAULT_SEED;
    const char *pos[2] = {NULL, NULL};
    const char *words = NULL;
    int npos = 0;
    bool opts = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (opts && (!strcmp(a, "--help") || !strcmp(a, "-h"))) {
            usage();
            return 0;
        } else if (opts && !strcmp(a, "--jsonl")) {
            g.jsonl = true;
        } else if (opts && (!strcmp(a, "--seed") || !strncmp(a, "--seed=", 7))) {
            const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
            if (!v)
                return usage_error("--seed needs a value", NULL);
            if (!parse_u64(v, &g.seed))
                return usage_error("bad seed", v);
        } else if (opts && (!strcmp(a, "--words") || !strncmp(a, "--words=", 8))) {
            words = a[7] == '=' ? a + 8 : (i + 1 < argc ? argv[++i] : NULL);
            if (!words || !*words)
                return usage_error("--words needs a file", NULL);
        } else if (opts && !strcmp(a, "--")) {
            opts = false;
        } else if (opts && a[0] == '-' && a[1] != '\0') {
            return usage_error("unknown option", a);
        } else if (npos < 2) {
            pos[npos++] = a;
        } else {
            return usage_error("too many arguments", a);
        }
    }
    if (npos != 2)
        return usage_error("expected N and OUTDIR", NULL);
    uint64_t n;
    if (!parse_u64(pos[0], &n) || n < 1 || n > MAX_PAGES)
        return usage_error("N must be an integer from 1 to 1000000", pos[0]);
    if (!pos[1][0])
        return usage_error("empty OUTDIR", NULL);
    if (!g.jsonl && !strcmp(pos[1], "-"))
        return usage_error("'-' (standard output) needs --jsonl", NULL);
    g.npages = (uint32_t)n;
    g.out = pos[1];

    if (words) {
        int lrc = lex_load(&g.lex, words);
        if (lrc != 0) {
            if (lrc < 0)
                io_error(words);
            else
                fprintf(stderr, "generate: %s: not a word list of entries (=FLAGS, then forms) "
                        "with nouns, compound parts and names\n", words);
            lex_free(&g.lex);
            return lrc < 0 ? 1 : 2;
        }
        fprintf(stderr, "generate: %lu word forms of %lu lemmas from %s\n",
                (unsigned long)g.lex.nforms, (unsigned long)g.lex.nlemmas, words);
    }
    int rc = gen_init(&g) ? run(&g) : 1;
    gen_free(&g);
    return rc;
}
