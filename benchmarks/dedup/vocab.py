"""Word material of the synthetic Maastricht world the dedup benchmark is generated from.

Written for this benchmark after the kind of items MaastrichtDoet!, NLvoorelkaar, Trajekt's
buurtnetwerken, the gemeente and local agendas publish. Organisations are real Maastricht names
or plainly generic ones; no text was copied from those platforms.
"""

from __future__ import annotations

#: Sources of the benchmark: id -> (priority, kinds it lists, URL pattern).
SOURCES = {
    "maastrichtdoet": (80, ("vacancy", "event"), "https://www.maastrichtdoet.nl/{path}/{slug}-{n}"),
    "nlvoorelkaar": (40, ("vacancy",), "https://www.nlvoorelkaar.nl/vrijwilligerswerk/{n}"),
    "trajekt": (
        70,
        ("event", "network", "initiative", "news", "vacancy"),
        "https://www.trajekt.nl/{path}/{slug}",
    ),
    "gemeente": (
        90,
        ("participation", "event", "news"),
        "https://www.gemeentemaastricht.nl/{path}/{slug}",
    ),
    "uitagenda": (50, ("event",), "https://www.uitinmaastricht.nl/agenda/{slug}-{n}"),
    "wijkplatform": (
        60,
        ("event", "initiative", "network"),
        "https://www.wijkinmaastricht.nl/{path}/{slug}",
    ),
    "limburger-agenda": (30, ("event",), "https://www.limburger.nl/uit/agenda/{n}"),
    "denkmee": (70, ("participation",), "https://denkmee.maastricht.nl/processes/{slug}/f/{n}"),
}

ORGANISATIONS = [
    ("Trajekt", "Stichting Trajekt"),
    ("Humanitas Maastricht", "Humanitas afdeling Maastricht"),
    ("Voedselbank Maastricht", "Stichting Voedselbank Maastricht-Heuvelland"),
    ("Vluchtelingenwerk", "VluchtelingenWerk Zuid-Nederland, locatie Maastricht"),
    ("Rode Kruis Maastricht", "Het Nederlandse Rode Kruis, afdeling Maastricht"),
    ("Repair Café Maastricht", "Stichting Repair Café Maastricht"),
    ("Envida", "Envida Maastricht"),
    ("Bibliotheek Maastricht", "Centre Céramique Bibliotheek"),
    ("Radar", "Radar Maastricht"),
    ("Stichting Leergeld", "Stichting Leergeld Maastricht"),
    ("IVN Maastricht", "IVN Natuureducatie Maastricht"),
    ("Natuurmonumenten", "Natuurmonumenten Sint-Pietersberg"),
    ("Kinderboerderij Daalhof", "Stichting Kinderboerderij Daalhof"),
    ("Steunpunt Mantelzorg", "Steunpunt Mantelzorg Maastricht"),
    ("Cicero Zorggroep", "Cicero Zorggroep"),
    ("Burgerkracht", "Burgerkracht Limburg"),
    ("Sportclub 55+", "Seniorensportclub Maastricht 55+"),
    ("Toneelgroep De Maaskei", "Toneelvereniging De Maaskei"),
    ("Moestuin Collectief", "Stichting Moestuin Collectief"),
    ("Samen Sterk Malberg", "Bewonersvereniging Samen Sterk Malberg"),
    ("Buurtcomité Caberg", "Buurtcomité Caberg"),
    ("Wijkraad Wittevrouwenveld", "Wijkraad Wittevrouwenveld"),
    ("Stichting Jongerenwerk", "Jongerenwerk Maastricht"),
    ("Hospice Maastricht", "Stichting Hospice Maastricht"),
    ("Zonnebloem Maastricht", "De Zonnebloem afdeling Maastricht"),
    ("Taalhuis Maastricht", "Het Taalhuis Maastricht"),
    ("Schuldhulpmaatje", "SchuldHulpMaatje Maastricht"),
    ("Kledingbank Maastricht", "Stichting Kledingbank Maastricht"),
    ("Scouting Sint Pieter", "Scoutinggroep Sint Pieter"),
    ("Muziekschool", "Stichting Muziekschool Maastricht"),
]

#: Volunteer roles: (title forms, lower-case noun, task sentence). The title forms are rewordings
#: different platforms use for the same role.
ROLES = [
    (
        ("Taalmaatje", "Taalmaatje voor nieuwkomers", "Maatje taal"),
        "taalmaatje",
        "Je oefent wekelijks Nederlands met een nieuwkomer, bij iemand thuis of in de bibliotheek.",
    ),
    (
        (
            "Chauffeur boodschappenbus",
            "Vrijwillige chauffeur boodschappenbus",
            "Chauffeur voor de boodschappenbus",
        ),
        "chauffeur",
        "Je rijdt ouderen op dinsdag en vrijdag naar de supermarkt en helpt met tassen.",
    ),
    (
        ("Chauffeur rolstoelbus", "Vrijwillig chauffeur rolstoelbus", "Rolstoelbus chauffeur"),
        "chauffeur",
        "Je vervoert bewoners in de rolstoelbus naar het ziekenhuis of een familiebezoek.",
    ),
    (
        (
            "Gastvrouw/gastheer buurtkamer",
            "Gastheer of gastvrouw in de buurtkamer",
            "Gastvrouw buurtkamer",
        ),
        "gastvrouw of gastheer",
        "Je ontvangt bezoekers in de buurtkamer, zet koffie en maakt een praatje.",
    ),
    (
        (
            "Penningmeester bestuur",
            "Bestuurslid penningmeester",
            "Penningmeester (bestuursfunctie)",
        ),
        "penningmeester",
        "Je beheert de financiën, maakt de jaarrekening en denkt mee in het bestuur.",
    ),
    (
        ("Secretaris bestuur", "Bestuurslid secretaris", "Secretaris (bestuursfunctie)"),
        "secretaris",
        "Je verzorgt de notulen, de agenda en de post van de vereniging.",
    ),
    (
        (
            "Huiswerkbegeleider",
            "Huiswerkbegeleiding basisschoolkinderen",
            "Begeleider huiswerkklas",
        ),
        "huiswerkbegeleider",
        "Je helpt kinderen uit groep 6 tot 8 met rekenen en begrijpend lezen.",
    ),
    (
        ("Maatje voor eenzame oudere", "Maatje voor ouderen", "Bezoekvrijwilliger ouderen"),
        "maatje",
        "Je bezoekt een oudere die weinig mensen ziet, voor een wandeling of een kop koffie.",
    ),
    (
        ("Klusjesman/-vrouw", "Klusser voor kleine klussen", "Klusjesdienst vrijwilliger"),
        "klusser",
        "Je helpt bewoners met kleine klussen in huis: een lamp ophangen, een kraan vervangen.",
    ),
    (
        ("Tuinier buurtmoestuin", "Vrijwilliger moestuin", "Moestuinier"),
        "tuinier",
        "Je zaait, wiedt en oogst samen met buurtbewoners in de moestuin.",
    ),
    (
        ("Reparateur Repair Café", "Repareerder elektrische apparaten", "Reparateur (Repair Café)"),
        "reparateur",
        "Je repareert met bezoekers kapotte lampen, broodroosters en fietsen.",
    ),
    (
        (
            "Kassamedewerker kledingbank",
            "Medewerker kassa kledingbank",
            "Kassa vrijwilliger kledingbank",
        ),
        "kassamedewerker",
        "Je helpt klanten bij de kassa en houdt de winkel netjes.",
    ),
    (
        ("Sorteerder kledingbank", "Kleding sorteren", "Sorteerder kleding"),
        "sorteerder",
        "Je sorteert ingezamelde kleding op maat en seizoen.",
    ),
    (
        (
            "Uitgiftemedewerker voedselbank",
            "Medewerker uitgifte voedselbank",
            "Vrijwilliger uitgiftepunt",
        ),
        "uitgiftemedewerker",
        "Je stelt voedselpakketten samen en geeft ze uit aan klanten.",
    ),
    (
        (
            "Thuisadministratie vrijwilliger",
            "Hulp bij thuisadministratie",
            "Thuisadministratie maatje",
        ),
        "thuisadministratiemaatje",
        "Je helpt mensen hun post en rekeningen op orde te brengen.",
    ),
    (
        ("Schuldhulpmaatje", "Maatje schuldhulp", "Schuldhulp maatje"),
        "schuldhulpmaatje",
        "Je begeleidt iemand met geldzorgen naar een stabiele situatie.",
    ),
    (
        ("Voorlezer peuters", "Voorleesvrijwilliger", "Voorlezen aan peuters"),
        "voorlezer",
        "Je leest wekelijks voor aan peuters en hun ouders in de bibliotheek.",
    ),
    (
        ("Natuurgids Sint-Pietersberg", "Gids natuurwandelingen", "Natuurgids (wandelingen)"),
        "natuurgids",
        "Je begeleidt wandelingen over de Sint-Pietersberg en vertelt over de mergel.",
    ),
    (
        (
            "Coördinator buurtnetwerk",
            "Coördinator van het buurtnetwerk",
            "Buurtnetwerk coördinator",
        ),
        "coördinator",
        "Je brengt vraag en aanbod in de buurt bij elkaar en houdt contact met de vrijwilligers.",
    ),
    (
        (
            "Activiteitenbegeleider verpleeghuis",
            "Begeleider activiteiten verpleeghuis",
            "Activiteitenbegeleiding ouderen",
        ),
        "activiteitenbegeleider",
        "Je organiseert spelletjes, muziek en uitstapjes voor bewoners.",
    ),
    (
        ("Sportbegeleider 55+", "Begeleider beweegles 55+", "Sportmaatje 55+"),
        "sportbegeleider",
        "Je begeleidt de beweegles voor senioren op maandagochtend.",
    ),
    (
        ("Jongerenwerker (vrijwillig)", "Vrijwilliger jongerenwerk", "Begeleider jongerenavond"),
        "jongerenwerker",
        "Je bent aanwezig op de jongerenavond en organiseert activiteiten.",
    ),
    (
        ("Kok buurtrestaurant", "Vrijwillige kok buurtrestaurant", "Kok (buurtrestaurant)"),
        "kok",
        "Je kookt eens per week een betaalbare maaltijd voor buurtbewoners.",
    ),
    (
        ("Fotograaf evenementen", "Vrijwillig fotograaf", "Fotograaf (evenementen)"),
        "fotograaf",
        "Je legt onze activiteiten vast voor de website en sociale media.",
    ),
    (
        ("Webredacteur", "Redacteur website en nieuwsbrief", "Webredacteur nieuwsbrief"),
        "redacteur",
        "Je schrijft berichten voor de website en stelt de maandelijkse nieuwsbrief samen.",
    ),
    (
        ("Mantelzorgondersteuner", "Ondersteuner mantelzorgers", "Respijtvrijwilliger mantelzorg"),
        "ondersteuner",
        "Je neemt een dagdeel de zorg over zodat de mantelzorger even op adem komt.",
    ),
    (
        ("Hospicevrijwilliger", "Vrijwilliger hospice", "Zorgvrijwilliger hospice"),
        "hospicevrijwilliger",
        "Je bent er voor gasten en hun naasten in de laatste levensfase.",
    ),
    (
        ("Zwerfvuilraper", "Vrijwilliger zwerfvuil", "Zwerfafvalheld"),
        "zwerfvuilraper",
        "Je houdt met een grijper en een vuilniszak je eigen straat schoon.",
    ),
    (
        ("Decorbouwer toneel", "Decorbouw vrijwilliger", "Decorbouwer (toneelvereniging)"),
        "decorbouwer",
        "Je bouwt en schildert decors voor onze voorstellingen.",
    ),
    (
        ("EHBO'er evenementen", "EHBO vrijwilliger evenementen", "Eerstehulpverlener evenementen"),
        "EHBO'er",
        "Je verleent eerste hulp op evenementen in de stad.",
    ),
]

#: Event activities: (title forms, duration in minutes, typical local start times, description).
ACTIVITIES = [
    (
        ("Repair Café", "Repaircafé", "Repair Cafe"),
        180,
        ("10:00", "13:00", "14:00"),
        "Kapotte spullen? Neem ze mee naar het Repair Café. Samen met vrijwillige reparateurs "
        "zoek je uit wat er mis is.",
    ),
    (
        ("Koffieochtend", "Koffie-ochtend", "Buurtkoffie"),
        120,
        ("10:00", "10:30"),
        "Een kop koffie, iets lekkers en een praatje met buurtgenoten.",
    ),
    (
        ("Buurtbarbecue", "BBQ voor de buurt", "Barbecue in de buurt"),
        240,
        ("17:00", "18:00"),
        "Neem een stoel mee en schuif aan bij de barbecue voor alle buurtbewoners.",
    ),
    (
        ("Wandeling met de wijkagent", "Wandelen met de wijkagent", "Buurtwandeling wijkagent"),
        90,
        ("10:00", "19:00"),
        "Loop mee met de wijkagent en vertel wat je opvalt in de buurt.",
    ),
    (
        ("Bingo", "Bingomiddag", "Buurtbingo"),
        150,
        ("14:00", "19:30"),
        "Gezellige bingo met mooie prijzen. Kaartjes aan de zaal.",
    ),
    (
        ("Yoga voor 55+", "Stoelyoga 55+", "Yoga (55 plus)"),
        60,
        ("09:30", "11:00"),
        "Rustige yogales voor senioren, ook geschikt als je minder mobiel bent.",
    ),
    (
        ("Taalcafé", "Taal café", "Taalcafé Nederlands oefenen"),
        120,
        ("14:00", "19:00"),
        "Oefen Nederlands in een ontspannen sfeer met vrijwilligers en andere deelnemers.",
    ),
    (
        ("Spelletjesmiddag", "Spellenmiddag", "Spelletjes middag"),
        180,
        ("14:00",),
        "Rummikub, klaverjassen of sjoelen: kom meedoen of kijken.",
    ),
    (
        ("Kinderdisco", "Disco voor kinderen", "Kinderdisco (4-12 jaar)"),
        120,
        ("15:00", "18:00"),
        "Dansen, limonade en een DJ voor kinderen uit de buurt.",
    ),
    (
        ("Samen koken", "Samen koken en eten", "Kookworkshop samen koken"),
        180,
        ("17:00", "17:30"),
        "We koken samen een maaltijd en eten daarna aan één lange tafel.",
    ),
    (
        ("Buurtfeest", "Groot buurtfeest", "Zomerfeest in de buurt"),
        300,
        ("13:00", "14:00"),
        "Muziek, springkussen en hapjes: het jaarlijkse feest voor de hele buurt.",
    ),
    (
        ("Zwerfvuilactie", "Opschoonactie", "Zwerfafval opruimen"),
        120,
        ("10:00",),
        "Samen maken we de buurt schoon. Grijpers en zakken liggen klaar.",
    ),
    (
        ("Inloopspreekuur", "Inloop spreekuur sociaal team", "Spreekuur sociaal wijkteam"),
        120,
        ("09:00", "13:30"),
        "Vragen over zorg, geld of wonen? Loop binnen bij het sociaal wijkteam.",
    ),
    (
        ("Filmavond", "Film in de buurt", "Buurtbioscoop"),
        150,
        ("19:30", "20:00"),
        "Een film op groot doek, met popcorn en een nagesprek.",
    ),
    (
        ("Breicafé", "Brei- en haakcafé", "Handwerkcafé"),
        120,
        ("13:30",),
        "Breien, haken en borduren met elkaar. Beginners zijn welkom.",
    ),
    (
        ("Computerspreekuur", "Digi-spreekuur", "Hulp bij je computer of telefoon"),
        120,
        ("10:00", "14:00"),
        "Vragen over je telefoon, DigiD of e-mail? Vrijwilligers helpen je verder.",
    ),
    (
        ("Moestuinochtend", "Tuinieren in de buurtmoestuin", "Moestuin werkochtend"),
        150,
        ("09:30", "10:00"),
        "Wieden, zaaien en oogsten met de moestuinclub.",
    ),
    (
        ("Kienen", "Kienmiddag", "Kiene"),
        150,
        ("14:00",),
        "Traditioneel kienen in het buurthuis. Vol is vol.",
    ),
    (
        ("Zingen met ouderen", "Meezingmiddag", "Samen zingen"),
        90,
        ("14:30",),
        "Bekende liedjes zingen met bewoners en buurtgenoten.",
    ),
    (
        ("Informatieavond energie besparen", "Energiecafé", "Bespaar energie: informatieavond"),
        120,
        ("19:00", "19:30"),
        "Energiecoaches vertellen hoe je met kleine maatregelen energie bespaart.",
    ),
    (
        ("Kleding ruilbeurs", "Kledingruilmiddag", "Ruilbeurs kleding"),
        180,
        ("13:00",),
        "Breng kleding die je niet meer draagt en neem iets anders mee.",
    ),
    (
        (
            "Fietsreparatie voor kinderen",
            "Fietsen repareren met kinderen",
            "Kinderfietsen opknappen",
        ),
        120,
        ("14:00",),
        "Kinderen leren hun eigen fiets te repareren.",
    ),
    (
        ("Voorleesochtend", "Voorlezen voor peuters", "Peutervoorlezen"),
        60,
        ("10:00",),
        "Voorlezen, zingen en knutselen voor peuters en hun ouders.",
    ),
    (
        ("Buurtlunch", "Lunch in de buurtkamer", "Gezamenlijke buurtlunch"),
        90,
        ("12:00", "12:30"),
        "Een eenvoudige lunch voor een klein bedrag, samen aan tafel.",
    ),
]

#: Venues per buurt: (name, buurt name as in data/maastricht_buurt_names.csv).
VENUES = [
    ("Buurtcentrum Malberg", "Malberg"),
    ("Trefcentrum Wittevrouwenveld", "Wittevrouwenveld"),
    ("Wijkcentrum Caberg", "Caberg"),
    ("Gemeenschapshuis Heer", "Heer"),
    ("Buurthuis Daalhof", "Daalhof"),
    ("Wijkcentrum Pottenberg", "Pottenberg"),
    ("MFC Mariaberg", "Mariaberg"),
    ("Buurtcentrum Nazareth", "Nazareth"),
    ("Wijkcentrum Heugemerveld", "Heugemerveld"),
    ("Gemeenschapshuis Amby", "Amby"),
    ("Buurthuis Scharn", "Scharn"),
    ("Centre Céramique", "Wyck"),
    ("Buurtkamer Boschstraatkwartier", "Boschstraatkwartier"),
    ("Wijkcentrum Limmel", "Limmel"),
    ("Buurtcentrum De Heeg", "De Heeg"),
    ("Gemeenschapshuis Borgharen", "Borgharen"),
    ("Buurthuis Belfort", "Belfort"),
    ("Wijkcentrum Malpertuis", "Malpertuis"),
    ("Buurtkamer Frontenkwartier", "Frontenkwartier"),
    ("Wijkcentrum Wyckerpoort", "Wyckerpoort"),
    ("Buurtcentrum Oud-Caberg", "Oud-Caberg"),
    ("Buurthuis Biesland", "Biesland"),
    ("Gemeenschapshuis Itteren", "Itteren"),
    ("Wijkcentrum Brusselsepoort", "Brusselsepoort"),
    ("Buurtkamer Jekerkwartier", "Jekerkwartier"),
    ("Buurthuis Dousberg", "Dousberg-Hazendans"),
    ("Wijkcentrum Randwyck", "Randwyck"),
    ("Buurtkamer Sint Pieter", "Sint Pieter"),
    ("Buurtcentrum Heugem", "Heugem"),
    ("Buurthuis Statenkwartier", "Statenkwartier"),
]

#: Participation topics: (subject, description).
PARTICIPATION = [
    (
        "herinrichting {street}",
        "De gemeente wil de {street} veiliger en groener maken. Denk mee over het ontwerp.",
    ),
    (
        "nieuwe speelplek {buurt}",
        "Welke speeltoestellen wil jij in de nieuwe speelplek? "
        "Kinderen en ouders mogen meebeslissen.",
    ),
    ("parkeren in {buurt}", "Bewoners klagen over parkeerdruk. Samen zoeken we naar oplossingen."),
    ("groen in de wijk {buurt}", "Meer bomen en geveltuinen: waar wil jij meer groen zien?"),
    (
        "wijkplan {buurt}",
        "Het nieuwe wijkplan bepaalt de plannen voor de komende vier jaar. Praat mee!",
    ),
    (
        "verkeersveiligheid rond school in {buurt}",
        "Ouders en school maken zich zorgen over verkeer. Denk mee over maatregelen.",
    ),
]

#: Title forms of participation meetings.
PARTICIPATION_TITLES = (
    "Informatieavond {subject}",
    "Bewonersavond {subject}",
    "Praat mee over {subject}",
    "Denk mee: {subject}",
    "Inspraakavond {subject}",
)

#: Networks and initiatives: (title forms, kind, description).
INITIATIVES = [
    (
        ("Buurtnetwerk {buurt}", "Het buurtnetwerk van {buurt}", "Buurtnetwerk in {buurt}"),
        "network",
        "Buren helpen buren: een boodschap, een klusje of een praatje. "
        "Meld je aan als vrager of helper.",
    ),
    (
        ("Moestuin {buurt}", "Buurtmoestuin {buurt}", "Samen tuinieren in {buurt}"),
        "initiative",
        "Een moestuin van en voor de buurt, onderhouden door bewoners.",
    ),
    (
        ("Buurtkamer {buurt}", "De buurtkamer in {buurt}", "Huiskamer van {buurt}"),
        "initiative",
        "Een plek om binnen te lopen voor koffie, een spelletje of een goed gesprek.",
    ),
    (
        (
            "Boodschappendienst {buurt}",
            "Boodschappenhulp in {buurt}",
            "Boodschappen service {buurt}",
        ),
        "network",
        "Vrijwilligers doen boodschappen voor buurtbewoners die dat zelf niet kunnen.",
    ),
    (
        ("Geveltuinen {buurt}", "Geveltuintjes in {buurt}", "Groene gevels {buurt}"),
        "initiative",
        "Bewoners leggen samen geveltuinen aan voor een groenere straat.",
    ),
]

NEWS = [
    (
        "Nieuwe speeltuin geopend in {buurt}",
        "Speeltuin {buurt} officieel geopend",
        "Kinderen in {buurt} kunnen vanaf vandaag spelen in de vernieuwde speeltuin.",
    ),
    (
        "Buurtkamer {buurt} zoekt nieuwe vrijwilligers",
        "Vrijwilligers gezocht voor buurtkamer {buurt}",
        "De buurtkamer draait op vrijwilligers en kan nieuwe handen goed gebruiken.",
    ),
    (
        "Wijkbudget {buurt} verdeeld",
        "{buurt}: zo wordt het wijkbudget besteed",
        "Bewoners hebben gestemd over de besteding van het wijkbudget.",
    ),
    (
        "Start werkzaamheden in {buurt}",
        "Werkzaamheden {buurt} van start",
        "De komende maanden wordt gewerkt aan riolering en bestrating.",
    ),
]

#: Phrases that make a reworded title (added by some sources).
TITLE_DECORATIONS = (
    "{t}!",
    "{t} - gratis",
    "Gezellig: {t}",
    "{t} ({buurt})",
    "{t} in {venue}",
    "{t} | {buurt}",
)
