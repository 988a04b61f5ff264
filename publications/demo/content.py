"""The demo content, as data: site sections, taxonomy, research centres, experts, the five analyses
of the seed page (summaries written in the project's own words) and the templates from which about
forty further analyses are generated. Nothing here touches the database (see builder.py)."""

import datetime
import random

from django.utils.text import slugify
from stdnum import ean, isbn, issn

INSTITUTE = "Institute for International Studies"
INSTITUTE_FR = "Institut d'études internationales"
ADMIN = {"username": "admin", "password": "demo-admin-2026", "email": "admin@example.org"}


def make_isbn13(stem):
    """A valid ISBN-13 from its first twelve digits (the check digit is computed)."""
    number = stem + ean.calc_check_digit(stem)
    assert isbn.is_valid(number), number
    return number


# --- Site sections ---------------------------------------------------------------------------

HOME = {
    "title": INSTITUTE,
    "title_fr": INSTITUTE_FR,
    "tagline": "Independent research on international affairs, published openly.",
    "tagline_fr": (
        "Une recherche indépendante sur les affaires internationales, publiée en accès libre."
    ),
    "intro": (
        "<p>An independent research institute on international affairs. Our researchers study "
        "geopolitics, security, energy, migration and the growing role of cities in world "
        "politics, and publish their findings openly.</p>"
    ),
    "intro_fr": (
        "<p>Un institut de recherche indépendant consacré aux questions internationales. Nos "
        "chercheurs étudient la géopolitique, la sécurité, l'énergie, les migrations et le rôle "
        "croissant des villes dans la politique mondiale, et publient leurs travaux en accès "
        "libre.</p>"
    ),
}
ANALYSES_INDEX = {
    "slug": "analyses",
    "title": "Analyses",
    "title_fr": "Analyses",
    "intro": (
        "<p>Notes, studies, policy briefs, reports and books by the institute's researchers, "
        "newest first. Every analysis can be read online in summary and downloaded in full.</p>"
    ),
    "intro_fr": (
        "<p>Notes, études, synthèses, rapports et ouvrages des chercheurs de l'institut, des plus "
        "récents aux plus anciens. Chaque analyse se lit en résumé et se télécharge en "
        "intégralité.</p>"
    ),
}
CENTERS_INDEX = {
    "slug": "research",
    "title": "Research centers and programs",
    "title_fr": "Centres et programmes de recherche",
    "intro": (
        "<p>Our research is organised in centres, each focused on a region or a field, and in "
        "programmes that explore a question in depth for several years.</p>"
    ),
    "intro_fr": (
        "<p>Notre recherche s'organise en centres, consacrés chacun à une région ou à un domaine, "
        "et en programmes qui approfondissent une question pendant plusieurs années.</p>"
    ),
}

# --- Taxonomy --------------------------------------------------------------------------------

ANALYSIS_TYPES = [
    ("Note", "note"),
    ("Study", "study"),
    ("Policy brief", "policy-brief"),
    ("Report", "report"),
    ("Book", "book"),
]
TYPE_NAMES_FR = {
    "note": "Note",
    "study": "Étude",
    "policy-brief": "Synthèse",
    "report": "Rapport",
    "book": "Ouvrage",
}
# The French versions of the terms: English slug -> (French name, French slug).
TYPES_FR = {slug: (name, slugify(name)) for slug, name in TYPE_NAMES_FR.items()}
SERIES_FR = {
    "notes": {
        "name": "Notes de l'Institut",
        "slug": "notes-de-l-institut",
        "description": "Des analyses courtes de questions d'actualité, plusieurs fois par mois.",
    },
    "etudes": {
        "name": "Études",
        "slug": "etudes",
        "description": "Des études approfondies fondées sur le terrain, en français ou en anglais.",
    },
}
SERIES = [
    {
        "name": "Notes of the Institute",
        "slug": "notes",
        "issn": "2270-9649",
        "description": "Short analyses of current questions, published several times a month.",
    },
    {
        "name": "Études",
        "slug": "etudes",
        "issn": "2428-7318",
        "description": "In-depth studies based on field research, published in French or English.",
    },
]
assert all(issn.is_valid(series["issn"]) for series in SERIES)

THEMES = [
    ("Geopolitics", "geopolitics"),
    ("Diplomacy", "diplomacy"),
    ("Cities and local governments", "cities-and-local-governments"),
    ("Security and defence", "security-and-defence"),
    ("Peacekeeping", "peacekeeping"),
    ("Energy and climate", "energy-and-climate"),
    ("Economy and trade", "economy-and-trade"),
    ("Migration", "migration"),
    ("Decolonisation", "decolonisation"),
    ("Governance", "governance"),
    ("Technology", "technology"),
]
THEMES_FR = {
    "geopolitics": ("Géopolitique", "geopolitique"),
    "diplomacy": ("Diplomatie", "diplomatie"),
    "cities-and-local-governments": ("Villes et collectivités locales", "villes-et-collectivites"),
    "security-and-defence": ("Sécurité et défense", "securite-et-defense"),
    "peacekeeping": ("Maintien de la paix", "maintien-de-la-paix"),
    "energy-and-climate": ("Énergie et climat", "energie-et-climat"),
    "economy-and-trade": ("Économie et commerce", "economie-et-commerce"),
    "migration": ("Migrations", "migrations"),
    "decolonisation": ("Décolonisation", "decolonisation"),
    "governance": ("Gouvernance", "gouvernance"),
    "technology": ("Technologies", "technologies"),
}
# (name, slug, parent slug), parents first.
REGIONS = [
    ("World", "world", None),
    ("Africa", "africa", None),
    ("East Africa", "east-africa", "africa"),
    ("Kenya", "kenya", "east-africa"),
    ("Central Africa", "central-africa", "africa"),
    ("Democratic Republic of the Congo", "democratic-republic-of-the-congo", "central-africa"),
    ("Sahel", "sahel", "africa"),
    ("North Africa", "north-africa", "africa"),
    ("Europe", "europe", None),
    ("France", "france", "europe"),
    ("Italy", "italy", "europe"),
    ("United Kingdom", "united-kingdom", "europe"),
    ("Americas", "americas", None),
    ("United States", "united-states", "americas"),
    ("Asia", "asia", None),
    ("Middle East", "middle-east", None),
    ("Russia and Eurasia", "russia-and-eurasia", None),
]
REGIONS_FR = {
    "world": ("Monde", "monde"),
    "africa": ("Afrique", "afrique"),
    "east-africa": ("Afrique de l'Est", "afrique-de-l-est"),
    "kenya": ("Kenya", "kenya"),
    "central-africa": ("Afrique centrale", "afrique-centrale"),
    "democratic-republic-of-the-congo": (
        "République démocratique du Congo",
        "republique-democratique-du-congo",
    ),
    "sahel": ("Sahel", "sahel"),
    "north-africa": ("Afrique du Nord", "afrique-du-nord"),
    "europe": ("Europe", "europe"),
    "france": ("France", "france"),
    "italy": ("Italie", "italie"),
    "united-kingdom": ("Royaume-Uni", "royaume-uni"),
    "americas": ("Amériques", "ameriques"),
    "united-states": ("États-Unis", "etats-unis"),
    "asia": ("Asie", "asie"),
    "middle-east": ("Moyen-Orient", "moyen-orient"),
    "russia-and-eurasia": ("Russie et Eurasie", "russie-et-eurasie"),
}

# --- Research centres, programmes and experts ------------------------------------------------

CENTERS = [
    {
        "slug": "africa-center",
        "title": "Africa Center",
        "title_fr": "Centre Afrique",
        "introduction": (
            "Politics, security and development in sub-Saharan Africa, and the continent's "
            "changing relations with Europe and the rest of the world."
        ),
        "introduction_fr": (
            "Politique, sécurité et développement en Afrique subsaharienne, et les relations "
            "changeantes du continent avec l'Europe et le reste du monde."
        ),
        "description": (
            "<p>The Africa Center follows the political and economic transformations of "
            "sub-Saharan Africa with researchers based in Europe and on the continent. It "
            "works on governance and elections, armed conflicts and peace processes, regional "
            "organisations and the new competition among outside powers.</p>"
            "<p>Its analyses are written for decision-makers in Africa and in Europe, and many "
            "are co-authored with partner institutions in Nairobi, Kinshasa, Dakar and Abuja.</p>"
        ),
        "description_fr": (
            "<p>Le Centre Afrique suit les transformations politiques et économiques de "
            "l'Afrique subsaharienne avec des chercheurs basés en Europe et sur le continent. "
            "Il travaille sur la gouvernance et les élections, les conflits armés et les "
            "processus de paix, les organisations régionales et la nouvelle concurrence entre "
            "puissances extérieures.</p>"
        ),
        "programmes": [
            {
                "slug": "africa-and-europe-program",
                "title": "Africa and Europe program",
                "title_fr": "Programme Afrique et Europe",
                "introduction": (
                    "How European states and the European Union rethink their partnerships "
                    "with African countries after the end of the post-colonial era."
                ),
                "introduction_fr": (
                    "Comment les États européens et l'Union européenne repensent leurs "
                    "partenariats avec les pays africains après la fin de l'ère postcoloniale."
                ),
                "description": (
                    "<p>The programme compares the Africa policies of France, Italy, Germany, "
                    "the United Kingdom and the EU: aid, trade, migration, energy and the "
                    "memory of empire. It pays particular attention to what African "
                    "governments and societies expect from these partnerships.</p>"
                ),
                "description_fr": (
                    "<p>Le programme compare les politiques africaines de la France, de "
                    "l'Italie, de l'Allemagne, du Royaume-Uni et de l'UE : aide, commerce, "
                    "migrations, énergie et mémoire des empires.</p>"
                ),
            },
            {
                "slug": "great-lakes-program",
                "title": "Great Lakes program",
                "title_fr": "Programme Grands Lacs",
                "introduction": (
                    "Conflicts, mediation and natural resources in the African Great Lakes "
                    "region, from the Kivus to Burundi."
                ),
                "introduction_fr": (
                    "Conflits, médiations et ressources naturelles dans la région des Grands "
                    "Lacs africains, des Kivus au Burundi."
                ),
                "description": (
                    "<p>Field-based research on armed groups, regional diplomacy, mining and "
                    "the international missions deployed in the eastern Democratic Republic "
                    "of the Congo and its neighbours.</p>"
                ),
                "description_fr": (
                    "<p>Des recherches de terrain sur les groupes armés, la diplomatie "
                    "régionale, les mines et les missions internationales déployées dans "
                    "l'est de la République démocratique du Congo et chez ses voisins.</p>"
                ),
            },
        ],
    },
    {
        "slug": "russia-eurasia-center",
        "title": "Russia/Eurasia Center",
        "title_fr": "Centre Russie/Eurasie",
        "introduction": (
            "Russia's domestic politics and foreign policy, and the trajectories of the states "
            "of the South Caucasus and Central Asia."
        ),
        "introduction_fr": (
            "La politique intérieure et extérieure de la Russie, et les trajectoires des États "
            "du Caucase du Sud et d'Asie centrale."
        ),
        "description": (
            "<p>Since 2022 the centre has concentrated on the consequences of the war against "
            "Ukraine: the Russian war economy, the effect of sanctions, and the way Moscow "
            "seeks partners in Africa, the Middle East and Asia. It also follows the "
            "balancing strategies of Central Asian and Caucasian capitals.</p>"
        ),
        "description_fr": (
            "<p>Depuis 2022, le centre se concentre sur les conséquences de la guerre contre "
            "l'Ukraine : économie de guerre russe, effets des sanctions, recherche de "
            "partenaires en Afrique, au Moyen-Orient et en Asie.</p>"
        ),
        "programmes": [
            {
                "slug": "russia-and-the-global-south-program",
                "title": "Russia and the Global South program",
                "title_fr": "Programme Russie et Sud global",
                "introduction": (
                    "Russian military, economic and informational influence beyond Europe."
                ),
                "introduction_fr": (
                    "L'influence militaire, économique et informationnelle de la Russie hors "
                    "d'Europe."
                ),
                "description": (
                    "<p>The programme documents security partnerships, arms and grain "
                    "exports, nuclear energy deals and information campaigns, and assesses "
                    "what they bring to Russia and to its partners.</p>"
                ),
                "description_fr": (
                    "<p>Le programme documente partenariats de sécurité, exportations d'armes "
                    "et de céréales, accords nucléaires civils et campagnes d'information.</p>"
                ),
            },
        ],
    },
    {
        "slug": "security-studies-center",
        "title": "Security Studies Center",
        "title_fr": "Centre des études de sécurité",
        "introduction": (
            "Defence policy, the future of warfare and the instruments of international "
            "crisis management."
        ),
        "introduction_fr": (
            "Politiques de défense, avenir de la guerre et instruments de gestion "
            "internationale des crises."
        ),
        "description": (
            "<p>The centre brings together researchers with academic, military and diplomatic "
            "backgrounds. It studies European defence and strategic autonomy, deterrence, "
            "emerging technologies and the peace operations run by the United Nations, the "
            "African Union and regional coalitions.</p>"
        ),
        "description_fr": (
            "<p>Le centre réunit des chercheurs aux parcours universitaires, militaires et "
            "diplomatiques. Il étudie la défense européenne, la dissuasion, les technologies "
            "émergentes et les opérations de paix.</p>"
        ),
        "programmes": [
            {
                "slug": "peace-operations-program",
                "title": "Peace Operations program",
                "title_fr": "Programme Opérations de paix",
                "introduction": (
                    "What United Nations and regional missions can still achieve, and why "
                    "some of them fail."
                ),
                "introduction_fr": (
                    "Ce que les missions des Nations unies et des organisations régionales "
                    "peuvent encore accomplir, et pourquoi certaines échouent."
                ),
                "description": (
                    "<p>Mandates, force generation, host-state consent and exit strategies "
                    "of peace operations, with case studies in Africa and the Middle East.</p>"
                ),
                "description_fr": (
                    "<p>Mandats, génération de forces, consentement de l'État hôte et "
                    "stratégies de sortie des opérations de paix.</p>"
                ),
            },
            {
                "slug": "defence-futures-program",
                "title": "Defence Futures program",
                "title_fr": "Programme Avenir de la défense",
                "introduction": "Budgets, industries and doctrines of European defence.",
                "introduction_fr": "Budgets, industries et doctrines de la défense européenne.",
                "description": (
                    "<p>The programme follows rearmament in Europe, cooperation in defence "
                    "procurement and the effect of new technologies on military strategy.</p>"
                ),
                "description_fr": (
                    "<p>Le programme suit le réarmement en Europe, la coopération en matière "
                    "d'armement et l'effet des nouvelles technologies sur la stratégie.</p>"
                ),
            },
        ],
    },
    {
        "slug": "center-for-geopolitics-of-cities",
        "title": "Center for Geopolitics of Cities",
        "title_fr": "Centre de géopolitique des villes",
        "introduction": (
            "Cities, regions and local governments as actors of international relations."
        ),
        "introduction_fr": (
            "Les villes, les régions et les collectivités locales comme acteurs des relations "
            "internationales."
        ),
        "description": (
            "<p>More than half of humanity lives in cities, and municipal governments now deal "
            "directly with climate change, migration, public health and even geopolitical "
            "rivalry. The centre studies how they act abroad, how states respond, and how "
            "local and national diplomacy can reinforce each other.</p>"
            "<p>It works with networks of mayors and with the foreign ministries that have "
            "opened offices for subnational diplomacy.</p>"
        ),
        "description_fr": (
            "<p>Plus de la moitié de l'humanité vit en ville, et les municipalités affrontent "
            "directement le changement climatique, les migrations, la santé publique et même "
            "les rivalités géopolitiques. Le centre étudie leur action extérieure et la "
            "réponse des États.</p>"
        ),
        "programmes": [
            {
                "slug": "city-diplomacy-program",
                "title": "City Diplomacy program",
                "title_fr": "Programme Diplomatie des villes",
                "introduction": (
                    "The international strategies of cities and regions, and their place in "
                    "national foreign policy."
                ),
                "introduction_fr": (
                    "Les stratégies internationales des villes et des régions, et leur place "
                    "dans la politique étrangère des États."
                ),
                "description": (
                    "<p>Comparative research on city networks, twinning, municipal offices "
                    "abroad and the institutions states create to coordinate with their "
                    "cities.</p>"
                ),
                "description_fr": (
                    "<p>Recherches comparées sur les réseaux de villes, les jumelages, les "
                    "représentations municipales à l'étranger et la coordination avec "
                    "l'État.</p>"
                ),
            },
            {
                "slug": "urban-risk-and-resilience-program",
                "title": "Urban Risk and Resilience program",
                "title_fr": "Programme Risques et résilience urbaine",
                "introduction": (
                    "How cities anticipate political, climate and technological risks."
                ),
                "introduction_fr": (
                    "Comment les villes anticipent les risques politiques, climatiques et "
                    "technologiques."
                ),
                "description": (
                    "<p>Tools and methods that help local governments assess exposure to "
                    "sanctions, supply-chain shocks, cyber attacks and extreme weather.</p>"
                ),
                "description_fr": (
                    "<p>Des outils et méthodes pour aider les collectivités à évaluer leur "
                    "exposition aux sanctions, aux chocs d'approvisionnement, aux "
                    "cyberattaques et aux événements climatiques extrêmes.</p>"
                ),
            },
        ],
    },
    {
        "slug": "energy-and-climate-center",
        "title": "Energy and Climate Center",
        "title_fr": "Centre énergie et climat",
        "introduction": (
            "The geopolitics of the energy transition and the security consequences of climate "
            "change."
        ),
        "introduction_fr": (
            "La géopolitique de la transition énergétique et les conséquences du changement "
            "climatique pour la sécurité."
        ),
        "description": (
            "<p>Oil, gas, hydrogen, nuclear power and critical minerals: the centre studies the "
            "markets and the power relations that the transition away from fossil fuels is "
            "reshaping, and the climate risks that already weigh on fragile states.</p>"
        ),
        "description_fr": (
            "<p>Pétrole, gaz, hydrogène, nucléaire et minerais critiques : le centre étudie les "
            "marchés et les rapports de force que la sortie des énergies fossiles recompose.</p>"
        ),
        "programmes": [
            {
                "slug": "climate-and-security-program",
                "title": "Climate and Security program",
                "title_fr": "Programme Climat et sécurité",
                "introduction": (
                    "When droughts, floods and heat waves aggravate conflicts and displacement."
                ),
                "introduction_fr": (
                    "Quand sécheresses, inondations et canicules aggravent les conflits et "
                    "les déplacements."
                ),
                "description": (
                    "<p>The programme links climate data with conflict analysis to help "
                    "governments and donors anticipate crises.</p>"
                ),
                "description_fr": (
                    "<p>Le programme croise données climatiques et analyse des conflits pour "
                    "aider États et bailleurs à anticiper les crises.</p>"
                ),
            },
        ],
    },
]

# "center" is the slug of the centre page the expert's page lives under.
EXPERTS = [
    {
        "slug": "samuel-adeyemi",
        "name": "Samuel Adeyemi",
        "center": "africa-center",
        "role": "Director, Africa Center",
        "role_fr": "Directeur du Centre Afrique",
        "bio": (
            "A political economist, he worked for a regional development bank before joining "
            "the institute. His research covers African regional integration and the "
            "continent's partnerships with Europe and Asia."
        ),
        "bio_fr": (
            "Économiste politique, il a travaillé pour une banque régionale de développement "
            "avant de rejoindre l'institut. Il étudie l'intégration régionale africaine."
        ),
    },
    {
        "slug": "wanjiru-kamau",
        "name": "Wanjiru Kamau",
        "center": "africa-center",
        "role": "Research Fellow, Africa Center",
        "role_fr": "Chercheuse au Centre Afrique",
        "bio": (
            "A historian of East Africa trained in Nairobi and London, she studies the "
            "colonial past and its weight on the foreign relations of Kenya and its "
            "neighbours."
        ),
        "bio_fr": (
            "Historienne de l'Afrique de l'Est formée à Nairobi et à Londres, elle étudie le "
            "passé colonial et son poids dans les relations extérieures du Kenya."
        ),
    },
    {
        "slug": "etienne-mukendi",
        "name": "Étienne Mukendi",
        "center": "africa-center",
        "role": "Senior Research Fellow, Great Lakes program",
        "role_fr": "Chercheur principal, programme Grands Lacs",
        "bio": (
            "He has followed the conflicts of the eastern Democratic Republic of the Congo for "
            "fifteen years, as a journalist and then as a researcher, with a focus on armed "
            "groups, mediation and United Nations peacekeeping."
        ),
        "bio_fr": (
            "Il suit depuis quinze ans les conflits de l'est de la République démocratique du "
            "Congo, comme journaliste puis comme chercheur."
        ),
    },
    {
        "slug": "giulia-ferraresi",
        "name": "Giulia Ferraresi",
        "center": "africa-center",
        "role": "Research Fellow, Africa and Europe program",
        "role_fr": "Chercheuse, programme Afrique et Europe",
        "bio": (
            "Her work deals with Italy's foreign policy in the Mediterranean and in Africa, "
            "energy diplomacy and the external dimension of European migration policy."
        ),
        "bio_fr": (
            "Elle travaille sur la politique étrangère italienne en Méditerranée et en "
            "Afrique, la diplomatie de l'énergie et la dimension extérieure des migrations."
        ),
    },
    {
        "slug": "aleksandra-wisniewska",
        "name": "Aleksandra Wiśniewska",
        "center": "russia-eurasia-center",
        "role": "Director, Russia/Eurasia Center",
        "role_fr": "Directrice du Centre Russie/Eurasie",
        "bio": (
            "A specialist of Russian foreign and security policy, she previously advised the "
            "Polish foreign ministry and taught at the University of Warsaw."
        ),
        "bio_fr": (
            "Spécialiste de la politique étrangère et de sécurité russe, elle a conseillé le "
            "ministère polonais des Affaires étrangères."
        ),
    },
    {
        "slug": "timur-abdullaev",
        "name": "Timur Abdullaev",
        "center": "russia-eurasia-center",
        "role": "Research Fellow, Russia and the Global South program",
        "role_fr": "Chercheur, programme Russie et Sud global",
        "bio": (
            "He studies Central Asian energy and trade corridors and Russia's partnerships in "
            "Africa and the Middle East."
        ),
        "bio_fr": (
            "Il étudie les corridors énergétiques et commerciaux d'Asie centrale et les "
            "partenariats de la Russie en Afrique et au Moyen-Orient."
        ),
    },
    {
        "slug": "claire-dubois-haddad",
        "name": "Claire Dubois-Haddad",
        "center": "security-studies-center",
        "role": "Director, Security Studies Center",
        "role_fr": "Directrice du Centre des études de sécurité",
        "bio": (
            "A former defence official, she writes on European strategic autonomy, arms "
            "cooperation and crisis management."
        ),
        "bio_fr": (
            "Ancienne haute fonctionnaire de la défense, elle travaille sur l'autonomie "
            "stratégique européenne et la gestion des crises."
        ),
    },
    {
        "slug": "kwame-asante",
        "name": "Kwame Asante",
        "center": "security-studies-center",
        "role": "Research Fellow, Peace Operations program",
        "role_fr": "Chercheur, programme Opérations de paix",
        "bio": (
            "He served with an African Union mission before turning to research on the "
            "mandates and performance of peace operations."
        ),
        "bio_fr": (
            "Ancien membre d'une mission de l'Union africaine, il étudie les mandats et "
            "l'efficacité des opérations de paix."
        ),
    },
    {
        "slug": "nadia-benali",
        "name": "Nadia Benali",
        "center": "security-studies-center",
        "role": "Research Fellow, Security Studies Center",
        "role_fr": "Chercheuse au Centre des études de sécurité",
        "bio": (
            "Her research covers armed groups, border security and migration routes in North "
            "Africa and the Sahel."
        ),
        "bio_fr": (
            "Ses recherches portent sur les groupes armés, la sécurité des frontières et les "
            "routes migratoires en Afrique du Nord et au Sahel."
        ),
    },
    {
        "slug": "hannah-lindqvist",
        "name": "Hannah Lindqvist",
        "center": "center-for-geopolitics-of-cities",
        "role": "Director, Center for Geopolitics of Cities",
        "role_fr": "Directrice du Centre de géopolitique des villes",
        "bio": (
            "Before founding the centre she headed the international office of a large "
            "Scandinavian city. She writes on city networks and subnational diplomacy."
        ),
        "bio_fr": (
            "Avant de fonder le centre, elle a dirigé le service international d'une grande "
            "ville scandinave."
        ),
    },
    {
        "slug": "rafael-montoya",
        "name": "Rafael Montoya",
        "center": "center-for-geopolitics-of-cities",
        "role": "Research Fellow, City Diplomacy program",
        "role_fr": "Chercheur, programme Diplomatie des villes",
        "bio": (
            "A political scientist from Medellín, he compares the international strategies of "
            "Latin American, European and North American cities."
        ),
        "bio_fr": (
            "Politiste originaire de Medellín, il compare les stratégies internationales des "
            "villes d'Amérique latine, d'Europe et d'Amérique du Nord."
        ),
    },
    {
        "slug": "mei-lin-tan",
        "name": "Mei Lin Tan",
        "center": "center-for-geopolitics-of-cities",
        "role": "Research Associate, Urban Risk and Resilience program",
        "role_fr": "Chercheuse associée, programme Risques et résilience urbaine",
        "bio": (
            "She adapts political risk methods to local governments, with a focus on "
            "technology procurement and supply chains."
        ),
        "bio_fr": (
            "Elle adapte les méthodes d'analyse du risque politique aux collectivités locales."
        ),
    },
    {
        "slug": "lars-henriksen",
        "name": "Lars Henriksen",
        "center": "energy-and-climate-center",
        "role": "Director, Energy and Climate Center",
        "role_fr": "Directeur du Centre énergie et climat",
        "bio": (
            "An energy economist, he spent ten years at an international energy agency working "
            "on gas markets and the security of supply."
        ),
        "bio_fr": (
            "Économiste de l'énergie, il a passé dix ans dans une agence internationale de "
            "l'énergie."
        ),
    },
    {
        "slug": "priya-raghunathan",
        "name": "Priya Raghunathan",
        "center": "energy-and-climate-center",
        "role": "Research Fellow, Climate and Security program",
        "role_fr": "Chercheuse, programme Climat et sécurité",
        "bio": (
            "She studies how climate change interacts with conflict and displacement, and the "
            "diplomacy of critical minerals."
        ),
        "bio_fr": (
            "Elle étudie les liens entre changement climatique, conflits et déplacements de "
            "population."
        ),
    },
]

EXTERNAL_AUTHORS = [
    ("Ana Lucía Ferreira", "Metropolitan Policy Observatory, Lisbon"),
    ("Jonathan Mbeki-Hart", "Centre for Postcolonial History, Nairobi"),
    ("Sophie Marchetti", "Mediterranean Policy Forum, Bologna"),
    ("Oleksandr Kovalenko", "Black Sea Security Forum, Odesa"),
    ("Fatou Sarr", "West African Governance Lab, Dakar"),
]

# --- The five analyses of the seed page --------------------------------------------------------
# Summaries, abstracts and full texts are the project's own words. "authors" holds expert slugs,
# or (name, affiliation) pairs for outside co-authors; "units" holds centre/programme slugs.

SUBNATIONAL_TITLE = "The Influence of Strategic Subnational Diplomacy in International Relations"
SUBNATIONAL_SLUG = slugify(SUBNATIONAL_TITLE)

SEED_ANALYSES = [
    {
        "title": SUBNATIONAL_TITLE,
        "pdf_name": "influence-strategic-subnational-diplomacy.pdf",
        "date": datetime.date(2025, 3, 12),
        "type": "study",
        "series": "etudes",
        "series_number": "112",
        "isbn": make_isbn13("979103730012"),
        "themes": ["cities-and-local-governments", "diplomacy", "geopolitics", "governance"],
        "regions": ["world", "united-states", "europe"],
        "authors": [
            "hannah-lindqvist",
            "rafael-montoya",
            ("Ana Lucía Ferreira", "Metropolitan Policy Observatory, Lisbon"),
        ],
        "units": ["center-for-geopolitics-of-cities", "city-diplomacy-program"],
        "related": [
            "when-city-diplomacy-meets-geopolitics-a-framework-to-help-cities-navigate-"
            "geopolitical-risk",
            "rebooting-italys-africa-policy-making-the-mattei-plan-work",
        ],
        "search_description": (
            "Cities and regions now act abroad with strategic intent. This study traces how "
            "subnational diplomacy has changed and how national governments ignore, restrain, "
            "exploit or support it."
        ),
        "summary": [
            "Cities, regions and other local governments increasingly run something close to a "
            "foreign policy of their own. For decades, the public saw their international "
            "activity mostly through twinning agreements, student exchanges and cultural "
            "festivals; today it reaches into investment, security, technology and the rules "
            "negotiated in multilateral forums.",
            "What pushes local authorities abroad are problems that ignore municipal and "
            "national borders alike: rivalry between great powers, a warming climate, public "
            "health emergencies and large movements of people. To protect their residents and "
            "their economies, mayors and governors need new skills, new partners and a voice "
            "where global decisions are prepared.",
            "National governments react to this shift in sharply different ways. Some pay it "
            "no attention, some try to hold it back, and some enlist local partnerships in the "
            "service of their own foreign policy. A few, the United States among them, have "
            "begun to treat the external action of their cities and states as an asset and to "
            "support it deliberately. The study compares these postures and sets out what a "
            "working partnership between the two levels could look like.",
        ],
        "key_points": [
            "Subnational diplomacy has moved beyond twinning and culture into trade, climate, "
            "security and technology.",
            "Global pressures - great-power rivalry, climate change, pandemics, migration - are "
            "felt first by local governments.",
            "States respond to their cities' external action in four ways: they ignore it, "
            "restrict it, instrumentalise it or support it.",
            "Structured cooperation between national and local diplomacy makes foreign policy "
            "both more effective and more legitimate.",
        ],
        "body": [
            ("heading", "Why it matters now"),
            (
                "paragraph",
                "<p>The decisions that shape daily life in a city - where a port operator comes "
                "from, which company builds the metro signalling, how many refugees arrive "
                "after a crisis abroad - are increasingly made or constrained far away. Local "
                "governments that do not engage internationally do not escape these forces; "
                "they simply face them unprepared.</p>",
            ),
            (
                "figure",
                {
                    "chart": {
                        "title": "Agreements signed abroad by 40 large cities, 2015-2024",
                        "bars": [
                            ("Climate and energy", 46),
                            ("Trade and investment", 38),
                            ("Migration", 21),
                            ("Health", 17),
                            ("Security", 9),
                            ("Technology", 14),
                        ],
                        "note": "Illustrative data (demo content).",
                    },
                    "alt_text": "Bar chart: climate and energy agreements come first (46), then "
                    "trade and investment (38), migration (21), health (17), technology (14) "
                    "and security (9).",
                    "caption": "Most agreements that cities sign abroad are about climate, energy "
                    "and trade, fields where national and local powers overlap.",
                },
            ),
            ("heading", "What national governments can do"),
            (
                "paragraph",
                "<ul><li>Create a single point of contact for cities and regions in the "
                "foreign ministry.</li><li>Share threat assessments with local officials who "
                "negotiate with foreign partners.</li><li>Invite mayors into national "
                "delegations at climate, health and migration negotiations.</li></ul>",
            ),
        ],
        "sections": [
            (
                "From twinning to strategy",
                [
                    "The first wave of municipal internationalism after 1945 was about "
                    "reconciliation. Twinning arrangements between French and German towns, "
                    "and later between cities on both sides of the Iron Curtain, were meant to "
                    "rebuild trust between societies that had been at war. Exchanges of "
                    "pupils, choirs and sports teams were their everyday substance, and "
                    "foreign ministries regarded them as harmless, even useful, expressions "
                    "of goodwill.",
                    "That picture no longer describes what large cities and regions do abroad. "
                    "Many now maintain an international affairs office, publish an external "
                    "strategy, send delegations to United Nations conferences and belong to "
                    "several transnational networks at once. Some have opened representations "
                    "in foreign capitals. Their agenda covers investment attraction, port and "
                    "airport partnerships, technology procurement, climate commitments and, "
                    "increasingly, questions that touch on national security.",
                ],
            ),
            (
                "Why local governments go abroad",
                [
                    "Four pressures explain the change. The first is geopolitical competition: "
                    "foreign powers court cities because they own infrastructure, sign "
                    "contracts and shape public opinion, and cities therefore find themselves "
                    "targets of influence operations they did not seek. The second is climate "
                    "change, whose costs fall on local budgets first and whose solutions - "
                    "transport, housing, energy efficiency - are largely municipal "
                    "competences.",
                    "The third pressure came from the pandemic, during which cities exchanged "
                    "data, equipment and practices directly with their counterparts when "
                    "national channels were slow. The fourth is migration: reception, "
                    "housing, schooling and employment of newcomers are organised locally, "
                    "whatever the national policy may be. In each case, mayors discovered "
                    "that waiting for the capital was not an option.",
                ],
            ),
            (
                "The paradiplomacy toolbox",
                [
                    "We call the set of instruments available to a local government its "
                    "paradiplomacy toolbox. It includes bilateral agreements with foreign "
                    "cities and regions, membership of networks such as those formed around "
                    "climate action or human rights, representation offices abroad, "
                    "participation in official national delegations, international events "
                    "hosted at home and the municipal procurement that links a city to "
                    "foreign suppliers.",
                    "The tools are unevenly distributed. A global metropolis with a large "
                    "budget can deploy all of them; a medium-sized town may rely on a single "
                    "officer and a handful of partnerships. Capacity, not only intent, "
                    "therefore determines how strategic a local government's external action "
                    "can become, and national support matters most where capacity is weakest.",
                ],
            ),
            (
                "Four national postures",
                [
                    "Our comparison of fifteen countries finds four typical responses. Some "
                    "governments ignore subnational diplomacy, treating it as marginal "
                    "protocol. Others restrict it, through legal limits on what local "
                    "authorities may sign or through prior approval of foreign trips and "
                    "agreements. A third group instrumentalises it, encouraging municipal "
                    "partnerships that serve national goals while discouraging the rest.",
                    "A fourth, smaller group supports it. In 2022 the United States created "
                    "a dedicated office for city and state diplomacy within its foreign "
                    "ministry, tasked with connecting local leaders to national policy and "
                    "to each other. Several European governments are experimenting with "
                    "similar arrangements, from liaison units to joint training programmes "
                    "for local and national diplomats.",
                ],
            ),
            (
                "Risks and safeguards",
                [
                    "More active cities also mean new risks. Local authorities can be "
                    "captured by foreign interests offering investment with political "
                    "conditions, can sign technology contracts without assessing their "
                    "security implications, and can contradict national positions in ways "
                    "that adversaries exploit. Uneven capacity can widen the gap between "
                    "well-connected metropolises and the rest of the country.",
                    "Restriction is rarely the right answer to these risks. Information "
                    "sharing, common guidelines and joint evaluation of sensitive "
                    "partnerships protect national interests without stifling the "
                    "initiative that makes local engagement valuable in the first place.",
                ],
            ),
            (
                "Recommendations",
                [
                    "National governments should designate a single counterpart for "
                    "subnational actors in the foreign ministry, publish guidance on "
                    "partnerships with foreign public entities, and share risk assessments "
                    "with local officials. They should include mayors and regional leaders "
                    "in delegations to negotiations where local implementation is decisive, "
                    "such as climate, health and migration.",
                    "Local governments, for their part, should adopt explicit international "
                    "strategies with measurable objectives, train their staff in political "
                    "risk analysis, and report publicly on their external commitments. "
                    "Networks of cities can pool expertise for members that lack it. "
                    "Together these steps would turn a fragmented activity into a component "
                    "of a coherent national and European foreign policy.",
                ],
            ),
        ],
    },
    {
        "title": "Anglo-Kenyan Relations (1920-2024) : Conflict, Alliance and a Redemptive Arc",
        "pdf_name": "anglo-kenyan-relations-1920-2024.pdf",
        "date": datetime.date(2024, 10, 8),
        "type": "note",
        "series": "notes",
        "series_number": "187",
        "doi": "10.5555/iis.2024.0187",
        "themes": ["decolonisation", "diplomacy", "security-and-defence"],
        "regions": ["kenya", "east-africa", "united-kingdom"],
        "authors": ["wanjiru-kamau", "samuel-adeyemi"],
        "units": ["africa-center", "africa-and-europe-program"],
        "search_description": (
            "A century of ties between Britain and Kenya, from colonial repression to alliance "
            "and acknowledgement, read as evidence for what postcolonial policy can achieve."
        ),
        "summary": [
            "The relationship between the United Kingdom and Kenya spans a century in which a "
            "colony and its metropole became partners. This note follows it from the creation "
            "of the Kenya Colony in 1920, through the violence of the Mau Mau emergency and "
            "independence in 1963, to the security, trade and development ties of today.",
            "It argues that the relationship is best read as an arc: a period of open conflict "
            "and repression, a long post-independence alliance built on military cooperation "
            "and British investment, and a recent phase in which the acknowledgement of "
            "colonial abuses, most visibly the 2013 settlement with surviving victims of the "
            "emergency, has begun to change its tone.",
            "The Kenyan case offers practical lessons for postcolonial policy: how memory, "
            "compensation and recognition shape trust between a former empire and the state "
            "that emerged from it.",
        ],
        "sections": [
            (
                "A settler colony, 1920-1952",
                [
                    "When the East Africa Protectorate became the Kenya Colony in 1920, the "
                    "colonial administration had already reserved the most fertile highlands "
                    "for European settlers. African farmers were pushed into reserves, taxed "
                    "into wage labour and denied political representation. The grievances "
                    "accumulated over three decades - land above all - explain the violence "
                    "that followed.",
                ],
            ),
            (
                "The emergency and independence, 1952-1963",
                [
                    "The state of emergency declared in 1952 against the Mau Mau insurgency "
                    "led to the detention of tens of thousands of Kenyans in camps where "
                    "torture was widespread. For decades the British state denied or "
                    "minimised these abuses, and many archives remained closed. Yet the same "
                    "decade also brought constitutional negotiations that ended, in December "
                    "1963, with independence under Jomo Kenyatta.",
                ],
            ),
            (
                "An enduring alliance",
                [
                    "Independence did not end the relationship; it transformed it. Defence "
                    "agreements gave the British army training facilities in Kenya, British "
                    "companies remained major investors, and London became a steady "
                    "diplomatic ally of Nairobi during the Cold War and after. The alliance "
                    "rested on shared interests in regional stability, but it also relied on "
                    "a tacit agreement not to discuss the colonial past.",
                    "Tensions surfaced periodically: over the conduct of British soldiers "
                    "during training, over elections, and over the International Criminal "
                    "Court cases that followed the 2007-2008 post-election violence.",
                ],
            ),
            (
                "Recognition and its limits",
                [
                    "The silence broke in court. Veterans of the detention camps sued the "
                    "British government, previously hidden archives were disclosed, and in "
                    "2013 London agreed to compensate more than five thousand claimants and "
                    "expressed regret for the abuses. The settlement was modest in money but "
                    "significant in meaning, and it opened the way to a more candid dialogue "
                    "between the two governments.",
                    "Recognition remains incomplete: claims over land, over other victims "
                    "and over the behaviour of British troops in recent years are still "
                    "unresolved. But the Kenyan case shows that acknowledging the past can "
                    "strengthen rather than weaken a strategic partnership.",
                ],
            ),
            (
                "Lessons for postcolonial policy",
                [
                    "Three lessons stand out. Archives matter: opening them early spares "
                    "governments years of litigation and mistrust. Symbolic gestures need "
                    "material follow-up to be credible. And security cooperation is more "
                    "durable when the partner society, not only its government, sees it as "
                    "legitimate. These lessons apply well beyond Kenya, to every European "
                    "state that is rethinking its relations with former colonies.",
                ],
            ),
        ],
    },
    {
        "title": (
            "When City Diplomacy Meets Geopolitics: A Framework to Help Cities Navigate "
            "Geopolitical Risk"
        ),
        "pdf_name": "city-diplomacy-meets-geopolitics.pdf",
        "date": datetime.date(2025, 1, 21),
        "type": "policy-brief",
        "themes": ["cities-and-local-governments", "geopolitics", "technology"],
        "regions": ["world", "europe"],
        "authors": ["mei-lin-tan", "rafael-montoya"],
        "units": ["center-for-geopolitics-of-cities", "urban-risk-and-resilience-program"],
        "search_description": (
            "Geopolitical tensions now reach city halls. This brief offers local governments a "
            "practical way to weigh the political risks of their partnerships, purchases and "
            "investments abroad."
        ),
        "summary": [
            "Wars, sanctions, disputes over technology and an increasingly polarised world "
            "order now reach city halls directly. Municipal governments that sign sister-city "
            "agreements, court foreign investors, buy surveillance equipment or host "
            "international events are exposed to risks that used to concern only foreign "
            "ministries and multinational companies.",
            "This brief proposes a framework for assessing those risks before they "
            "materialise. It distinguishes four families of exposure - partnerships, "
            "procurement and supply chains, data and digital infrastructure, and reputation - "
            "and lists the questions a city's international office can ask at each stage of "
            "an engagement.",
            "Political risk analysis, long a tool of corporations and governments, can be "
            "scaled to the needs and the means of local authorities without turning them away "
            "from international cooperation.",
        ],
        "sections": [
            (
                "Cities in a polarised world",
                [
                    "Until recently, a municipal partnership with a city in a rival power was "
                    "a matter of protocol. Since the war in Ukraine, trade disputes between "
                    "the largest economies and the spread of sanctions regimes, the same "
                    "partnership can expose a city to legal liability, public controversy "
                    "or pressure from its own national government.",
                ],
            ),
            (
                "Four families of risk",
                [
                    "Partnership risk arises when a foreign counterpart uses a cooperation "
                    "agreement for influence or legitimacy. Procurement risk concerns "
                    "suppliers that may become subject to sanctions or that create "
                    "dependencies in critical infrastructure. Digital risk covers data "
                    "collected by connected equipment and the security of municipal "
                    "networks. Reputational risk follows from association with governments "
                    "accused of human rights abuses.",
                    "Each family has different warning signs and calls for different "
                    "expertise, from legal advice to cybersecurity audits.",
                ],
            ),
            (
                "A three-step assessment",
                [
                    "The framework asks city officials to map their international exposure, "
                    "to score each engagement on likelihood and impact, and to decide on a "
                    "response: proceed, proceed with safeguards, or decline. Scoring relies "
                    "on a short questionnaire and on information that national authorities "
                    "and city networks can share.",
                ],
            ),
            (
                "What cities need from states",
                [
                    "Most municipalities cannot run intelligence assessments. They need "
                    "timely, unclassified briefings from national authorities, clear "
                    "guidance on sanctions and export controls, and a contact person to "
                    "call when a doubt arises. In return, cities can offer states a better "
                    "view of foreign activity at the local level.",
                ],
            ),
            (
                "Recommendations",
                [
                    "Cities should appoint a risk officer within their international "
                    "service, review existing partnerships once a year and publish their "
                    "criteria. Networks of cities should pool assessments so that small "
                    "members benefit from the work of large ones. Used in this way, risk "
                    "analysis protects the openness that makes city diplomacy worthwhile.",
                ],
            ),
        ],
    },
    {
        "title": (
            "The United Nations Mission in Congo or the exemplary uselessness of the United "
            "Nations peacekeepers"
        ),
        "pdf_name": "un-mission-congo-peacekeepers.pdf",
        "date": datetime.date(2024, 6, 18),
        "type": "note",
        "series": "notes",
        "series_number": "179",
        "themes": ["peacekeeping", "security-and-defence", "diplomacy"],
        "regions": ["democratic-republic-of-the-congo", "central-africa"],
        "authors": ["etienne-mukendi", "kwame-asante"],
        "units": ["great-lakes-program", "peace-operations-program"],
        "search_description": (
            "In 2012-2013 the UN led both the diplomacy and the counter-offensive against the "
            "M23 in eastern Congo. Since the rebellion resumed in 2022, its large mission has "
            "been sidelined. This note explains why."
        ),
        "summary": [
            "When the M23 rebellion seized territory in the east of the Democratic Republic of "
            "the Congo in 2012 and 2013, the United Nations was at the centre of the response. "
            "It sponsored the regional framework signed in Addis Ababa and, through a newly "
            "created intervention brigade, fought alongside the Congolese army until the "
            "rebels were defeated.",
            "A decade later the picture is reversed. Since the M23 took up arms again in 2022, "
            "the UN mission, still among the largest in the world with well over ten thousand "
            "troops in the eastern provinces, has been a bystander, while regional forces, "
            "bilateral arrangements and mediations led by others have taken over.",
            "This note explains the reversal: the erosion of the mission's mandate and "
            "legitimacy, Kinshasa's demand for its departure, divisions in the Security "
            "Council and the regionalisation of the conflict. It draws lessons for the future "
            "of peacekeeping in the Great Lakes and beyond.",
        ],
        "sections": [
            (
                "2013: the United Nations takes the initiative",
                [
                    "The fall of Goma to the M23 in November 2012 was a humiliation for the "
                    "UN mission, which had not defended the city. The response was rapid. In "
                    "February 2013 eleven states of the region signed a framework agreement "
                    "in Addis Ababa under UN auspices, and in March the Security Council "
                    "authorised an intervention brigade with an offensive mandate, a first "
                    "in the history of peacekeeping. By November 2013 the M23 had been "
                    "defeated militarily.",
                ],
            ),
            (
                "2022: the return of the M23 and the absence of the UN",
                [
                    "When the M23 reappeared in 2022, better armed and backed by a "
                    "neighbouring state according to UN experts, the mission did not repeat "
                    "its 2013 performance. The intervention brigade had lost its edge, "
                    "contributing countries were reluctant to take risks, and public "
                    "protests against the mission in Goma and Butembo turned deadly.",
                    "Kinshasa turned instead to a regional force of the East African "
                    "Community, then to troops of the Southern African Development "
                    "Community, to private military contractors and to armed local groups. "
                    "Diplomatic initiatives came from Luanda and Nairobi, not from New "
                    "York.",
                ],
            ),
            (
                "Why the mission became irrelevant",
                [
                    "Three factors explain the decline. The mandate grew into a long list of "
                    "tasks without the means to perform them. The Congolese government, "
                    "seeking domestic legitimacy, made the mission a scapegoat and requested "
                    "its withdrawal. And the Security Council, divided on almost every "
                    "question, could not agree on a stronger posture or on pressure against "
                    "the rebellion's outside supporters.",
                ],
            ),
            (
                "Lessons for peacekeeping",
                [
                    "Peacekeeping works when it serves a political strategy shared by the "
                    "host state, its neighbours and the Council. In eastern Congo that "
                    "strategy existed briefly in 2013 and has been missing since. Future "
                    "missions will need shorter mandates, regular review of host-state "
                    "consent and a clear division of labour with regional organisations, "
                    "which now carry much of the military burden.",
                ],
            ),
        ],
    },
    {
        "title": "Rebooting Italy's Africa Policy: Making the Mattei Plan Work",
        "pdf_name": "rebooting-italy-africa-policy-mattei-plan.pdf",
        "date": datetime.date(2025, 5, 27),
        "type": "report",
        "isbn": make_isbn13("979103730013"),
        "themes": ["energy-and-climate", "diplomacy", "economy-and-trade", "migration"],
        "regions": ["italy", "africa", "north-africa", "sahel"],
        "authors": [
            "giulia-ferraresi",
            "samuel-adeyemi",
            ("Sophie Marchetti", "Mediterranean Policy Forum, Bologna"),
        ],
        "units": ["africa-center", "africa-and-europe-program"],
        "search_description": (
            "Italy's Mattei Plan promises a new partnership with Africa just as France scales "
            "back in the Sahel. What would it take for the plan to deliver for both sides?"
        ),
        "summary": [
            "In early 2024 Italy launched the Mattei Plan, named after the founder of the "
            "state energy company Eni, to put its relations with Africa on a new footing. The "
            "plan is organised around six areas: education and training, health, water, "
            "agriculture, energy and infrastructure.",
            "It arrives as France, long the most visible European power in West and Central "
            "Africa, is scaling down its military presence after the end of Operation "
            "Barkhane and a series of diplomatic ruptures with Sahelian governments. Rome "
            "presents its approach as a partnership of equals, free of paternalism, but its "
            "resources are modest and its priorities - energy security and the reduction of "
            "irregular migration - are Italian ones first.",
            "This report reviews the first projects and proposes ways to make the plan "
            "credible: predictable funding, projects designed with African governments and "
            "regional organisations, alignment with the European Union's Global Gateway, and "
            "evaluation that measures benefits for African partners as well as for Italy.",
        ],
        "sections": [
            (
                "A plan and its namesake",
                [
                    "Enrico Mattei, who led Eni in the 1950s, is remembered in Italy and in "
                    "parts of North Africa for offering producing countries better terms "
                    "than the established oil majors. Invoking his name signals an ambition: "
                    "to present Italy as a partner that shares value rather than extracting "
                    "it. The plan was presented at an Italy-Africa summit in Rome in January "
                    "2024 and placed under the direct coordination of the prime minister's "
                    "office.",
                ],
            ),
            (
                "A changing European landscape",
                [
                    "The plan's timing is not accidental. France's withdrawal of its forces "
                    "from Mali, Burkina Faso and Niger, and the hostility of the military "
                    "governments in these countries towards Paris, have left a space that "
                    "other Europeans, as well as Russia, Turkey and the Gulf states, are "
                    "eager to fill. Italy has kept diplomatic channels open in the Sahel "
                    "and sees an opportunity to play a larger role.",
                ],
            ),
            (
                "Energy and migration first",
                [
                    "Most early projects concern energy - gas from Algeria and Libya, "
                    "renewable power and biofuels - and the management of migration flows "
                    "across the Mediterranean. These are legitimate Italian interests, but "
                    "African partners judge the plan on other criteria: jobs, access to "
                    "electricity, training and market access for their products.",
                ],
            ),
            (
                "Money and method",
                [
                    "The initial envelope of about five and a half billion euros is small "
                    "compared with the needs and with the commitments of larger partners. "
                    "Much of it comes from existing climate and development funds. Without "
                    "co-financing from the European Union, development banks and private "
                    "investors, the plan risks remaining a collection of pilot projects.",
                ],
            ),
            (
                "Making it work",
                [
                    "We recommend a multi-year budget voted by parliament, a joint steering "
                    "body with the African Union and the partner countries, systematic "
                    "alignment with the EU's Global Gateway and independent evaluation "
                    "published every year. With these changes the Mattei Plan could become "
                    "a model for a European approach to Africa based on mutual interest "
                    "rather than on the habits of the past.",
                ],
            ),
        ],
    },
]

# The French version of the subnational diplomacy study (a translation of the English page).
SUBNATIONAL_FR = {
    "slug": "influence-de-la-diplomatie-infranationale-strategique",
    "title": (
        "L'influence de la diplomatie infranationale stratégique dans les relations internationales"
    ),
    "pdf_name": "influence-diplomatie-infranationale-strategique.pdf",
    "search_description": (
        "Villes et régions agissent désormais à l'étranger avec une intention stratégique. "
        "Cette étude montre comment les États ignorent, encadrent, utilisent ou soutiennent "
        "cette diplomatie infranationale."
    ),
    "summary": [
        "Les villes, les régions et les autres collectivités conduisent de plus en plus une "
        "véritable action extérieure. Longtemps, le public ne la voyait qu'à travers les "
        "jumelages, les échanges scolaires et les festivals ; elle touche aujourd'hui à "
        "l'investissement, à la sécurité, aux technologies et aux règles négociées dans les "
        "enceintes multilatérales.",
        "Ce qui pousse les collectivités à l'international, ce sont des problèmes qui ignorent "
        "les frontières : rivalités entre grandes puissances, réchauffement climatique, crises "
        "sanitaires et grands mouvements de population. Pour protéger leurs habitants et leur "
        "économie, maires et présidents de région ont besoin de nouvelles compétences, de "
        "nouveaux partenaires et d'une voix là où se préparent les décisions mondiales.",
        "Les États réagissent de façon très contrastée. Certains n'y prêtent pas attention, "
        "d'autres cherchent à la freiner, d'autres encore la mettent au service de leur "
        "propre politique étrangère. Quelques-uns, dont les États-Unis, ont commencé à la "
        "considérer comme un atout et à la soutenir. L'étude compare ces attitudes et décrit "
        "ce que pourrait être un véritable partenariat entre les deux niveaux.",
    ],
    "sections": [
        (
            "Du jumelage à la stratégie",
            [
                "Après 1945, l'action internationale des communes visait d'abord la "
                "réconciliation : jumelages franco-allemands, puis échanges par-delà le rideau "
                "de fer. Les grandes villes disposent aujourd'hui d'un service des relations "
                "internationales, d'une stratégie extérieure publiée et de représentations à "
                "l'étranger ; leur agenda couvre l'investissement, les ports, les achats "
                "technologiques et le climat.",
            ],
        ),
        (
            "Pourquoi les collectivités s'internationalisent",
            [
                "Quatre pressions l'expliquent : la concurrence géopolitique, qui fait des "
                "villes des cibles d'influence ; le changement climatique, dont le coût pèse "
                "d'abord sur les budgets locaux ; la pandémie, pendant laquelle les villes ont "
                "échangé directement données et équipements ; enfin les migrations, dont "
                "l'accueil s'organise localement.",
            ],
        ),
        (
            "La boîte à outils de la paradiplomatie",
            [
                "Accords bilatéraux, réseaux de villes, bureaux à l'étranger, participation "
                "aux délégations nationales, événements internationaux et commande publique : "
                "les instruments existent, mais ils sont inégalement répartis entre une "
                "métropole mondiale et une ville moyenne.",
            ],
        ),
        (
            "Quatre attitudes des États",
            [
                "Ignorer, restreindre, instrumentaliser ou soutenir : telles sont les "
                "réponses observées dans quinze pays. En 2022, les États-Unis ont créé au sein "
                "de leur ministère des Affaires étrangères un bureau consacré à la diplomatie "
                "des villes et des États fédérés ; plusieurs gouvernements européens "
                "expérimentent des dispositifs comparables.",
            ],
        ),
        (
            "Recommandations",
            [
                "Désigner un interlocuteur unique pour les collectivités au ministère, "
                "partager les évaluations de risques avec les élus locaux, associer les maires "
                "aux négociations sur le climat, la santé et les migrations ; côté local, "
                "adopter des stratégies internationales explicites et rendre compte "
                "publiquement des engagements pris à l'étranger.",
            ],
        ),
    ],
}

# A French version without a French PDF: the page is translated, the full text exists in
# English only, and the page says so ("PDF, in English, ...").
CITY_RISK_TITLE = (
    "When City Diplomacy Meets Geopolitics: A Framework to Help Cities Navigate Geopolitical Risk"
)
CITY_RISK_FR = {
    "slug": "quand-la-diplomatie-des-villes-rencontre-la-geopolitique",
    "title": "Quand la diplomatie des villes rencontre la géopolitique",
    "search_description": (
        "Les tensions géopolitiques atteignent les mairies. Cette synthèse propose aux "
        "collectivités une méthode pour peser les risques politiques de leurs partenariats."
    ),
    "summary": [
        "Les tensions géopolitiques atteignent désormais les mairies : jumelages, achats publics "
        "et partenariats technologiques exposent les villes à des risques qu'elles mesurent mal.",
        "Cette synthèse propose une méthode simple pour les évaluer avant de s'engager. Le texte "
        "intégral n'existe qu'en anglais.",
    ],
}

# --- About forty generated analyses ------------------------------------------------------------
# Each template gives a title, an abstract and a summary for a subject, with {place} filled from
# the regions it fits; generated_analyses() combines them deterministically.

PLACES = {
    "world": "the World",
    "africa": "Africa",
    "east-africa": "East Africa",
    "kenya": "Kenya",
    "central-africa": "Central Africa",
    "democratic-republic-of-the-congo": "the Democratic Republic of the Congo",
    "sahel": "the Sahel",
    "north-africa": "North Africa",
    "europe": "Europe",
    "france": "France",
    "italy": "Italy",
    "united-kingdom": "the United Kingdom",
    "americas": "the Americas",
    "united-states": "the United States",
    "asia": "Asia",
    "middle-east": "the Middle East",
    "russia-and-eurasia": "Russia and Eurasia",
}

TEMPLATES = [
    {
        "title": "Critical Minerals in {place}: Who Gains from the New Scramble?",
        "topic": "the race for critical minerals",
        "teaser": (
            "Cobalt, copper, lithium and rare earths have made {place} a prize for outside "
            "powers. This analysis asks who captures the value and on what terms."
        ),
        "summary": (
            "The energy transition has turned the mines of {place} into strategic assets. "
            "Chinese, European, American and Gulf investors compete for concessions, while "
            "governments seek to process more ore at home."
        ),
        "themes": ["economy-and-trade", "energy-and-climate", "geopolitics"],
        "regions": ["democratic-republic-of-the-congo", "central-africa", "africa"],
        "units": ["energy-and-climate-center", "great-lakes-program"],
    },
    {
        "title": "Russian Security Offers in {place} after Wagner",
        "topic": "Russian security partnerships",
        "teaser": (
            "Moscow's paramilitary presence in {place} has changed name and structure. What do "
            "partner governments receive, and at what price?"
        ),
        "summary": (
            "Since the reorganisation of Russian paramilitary forces, the Russian state has "
            "taken direct control of its security partnerships in {place}, trading protection "
            "for mining rights and diplomatic support."
        ),
        "themes": ["security-and-defence", "geopolitics"],
        "regions": ["sahel", "central-africa", "africa"],
        "units": ["russia-and-the-global-south-program"],
    },
    {
        "title": "Energy Transition and Power Politics in {place}",
        "topic": "the politics of the energy transition",
        "teaser": (
            "Leaving fossil fuels redistributes power as well as energy. This analysis maps "
            "the winners and losers of the transition in {place}."
        ),
        "summary": (
            "Renewables, grids and storage change who depends on whom in {place}. Exporters of "
            "oil and gas look for new revenues, importers for new suppliers, and industrial "
            "policy returns to the centre of the debate."
        ),
        "themes": ["energy-and-climate", "geopolitics"],
        "regions": ["europe", "north-africa", "middle-east", "asia", "russia-and-eurasia"],
        "units": ["energy-and-climate-center"],
    },
    {
        "title": "Migration Diplomacy between Europe and {place}",
        "topic": "migration diplomacy",
        "teaser": (
            "European governments increasingly bargain over migration with {place}. The deals "
            "reduce crossings for a while, but they shift bargaining power too."
        ),
        "summary": (
            "Agreements on border control, returns and legal pathways now structure relations "
            "between European states and {place}. Transit countries have learnt to use "
            "migration as leverage in negotiations on aid, trade and visas."
        ),
        "themes": ["migration", "diplomacy"],
        "regions": ["north-africa", "sahel", "middle-east"],
        "units": ["africa-and-europe-program", "security-studies-center"],
    },
    {
        "title": "Mayors on the Front Line: Cities and Climate Adaptation in {place}",
        "topic": "urban climate adaptation",
        "teaser": (
            "Floods, heat waves and water shortages hit cities first. How are local "
            "governments in {place} preparing, and who pays for it?"
        ),
        "summary": (
            "Cities in {place} carry a growing share of the cost of climate adaptation, often "
            "without the revenues or the access to international finance that national "
            "governments enjoy."
        ),
        "themes": ["cities-and-local-governments", "energy-and-climate"],
        "regions": ["africa", "europe", "asia", "americas"],
        "units": ["urban-risk-and-resilience-program", "climate-and-security-program"],
    },
    {
        "title": "Sanctions and Their Limits: Lessons from {place}",
        "topic": "economic sanctions",
        "teaser": (
            "Sanctions have become the default response to aggression. The experience of "
            "{place} shows what they can and cannot achieve."
        ),
        "summary": (
            "Restrictions on finance, technology and trade have reshaped the economy of "
            "{place}, but circumvention networks, new trading partners and state support have "
            "blunted their effect."
        ),
        "themes": ["economy-and-trade", "geopolitics"],
        "regions": ["russia-and-eurasia", "middle-east"],
        "units": ["russia-eurasia-center"],
    },
    {
        "title": "After the Peacekeepers: Security Transitions in {place}",
        "topic": "the withdrawal of peace operations",
        "teaser": (
            "International missions are leaving {place}. What replaces them, and are civilians "
            "safer as a result?"
        ),
        "summary": (
            "The departure of international troops from {place} transfers responsibility to "
            "national armies, regional coalitions and sometimes private contractors, with "
            "uneven results for the protection of civilians."
        ),
        "themes": ["peacekeeping", "security-and-defence"],
        "regions": ["democratic-republic-of-the-congo", "sahel", "central-africa"],
        "units": ["peace-operations-program"],
    },
    {
        "title": "Digital Sovereignty and Data Centres in {place}",
        "topic": "digital sovereignty",
        "teaser": (
            "Where is data from {place} stored, and under whose laws? This analysis follows "
            "the politics of cloud infrastructure and data protection."
        ),
        "summary": (
            "Governments in {place} want their data stored under their own jurisdiction, but "
            "depend on a handful of foreign cloud providers. Public procurement has become the "
            "main lever of digital sovereignty."
        ),
        "themes": ["technology", "governance", "geopolitics"],
        "regions": ["europe", "africa", "asia"],
        "units": ["center-for-geopolitics-of-cities", "defence-futures-program"],
    },
    {
        "title": "Ports, Corridors and Influence: Infrastructure Rivalry in {place}",
        "topic": "infrastructure rivalry",
        "teaser": (
            "Ports, railways and economic corridors are instruments of influence. Competing "
            "projects in {place} show how infrastructure shapes alignments."
        ),
        "summary": (
            "Chinese, Gulf, Turkish and European operators compete to build and run the ports "
            "and corridors of {place}. Host governments play them against each other, but "
            "debt and dependence are real risks."
        ),
        "themes": ["economy-and-trade", "geopolitics"],
        "regions": ["east-africa", "north-africa", "asia", "middle-east"],
        "units": ["africa-center", "russia-eurasia-center"],
    },
    {
        "title": "Elections under Pressure: Democratic Resilience in {place}",
        "topic": "electoral integrity",
        "teaser": (
            "Disinformation, polarisation and contested results test electoral institutions in "
            "{place}. Which safeguards held, and which did not?"
        ),
        "summary": (
            "Recent elections in {place} were marked by online manipulation, attacks on "
            "electoral bodies and disputes over results. Independent institutions and an "
            "active civil society proved decisive."
        ),
        "themes": ["governance"],
        "regions": ["kenya", "east-africa", "europe", "united-states"],
        "units": ["africa-center", "center-for-geopolitics-of-cities"],
    },
    {
        "title": "Defence Budgets and Strategic Autonomy in {place}",
        "topic": "defence spending",
        "teaser": (
            "Defence budgets are rising fast in {place}. Whether the money buys real "
            "capabilities depends on choices still to be made."
        ),
        "summary": (
            "The war in Ukraine has reversed decades of cuts in {place}. The challenge now is "
            "to turn higher budgets into forces that are ready, interoperable and supplied by "
            "a stronger industrial base."
        ),
        "themes": ["security-and-defence"],
        "regions": ["europe", "france", "italy", "united-kingdom"],
        "units": ["defence-futures-program"],
    },
    {
        "title": "Climate Security in {place}: When Droughts Become Conflicts",
        "topic": "climate-related conflict",
        "teaser": (
            "Climate change rarely causes wars on its own, but in {place} it aggravates "
            "disputes over land and water. Prevention must start earlier."
        ),
        "summary": (
            "Longer droughts and erratic rains in {place} intensify competition between "
            "farmers and herders and weaken already fragile states, creating openings for "
            "armed groups."
        ),
        "themes": ["energy-and-climate", "security-and-defence"],
        "regions": ["sahel", "east-africa", "middle-east"],
        "units": ["climate-and-security-program"],
    },
    {
        "title": "Memory and Reparations: The Colonial Past in the Foreign Policy of {place}",
        "topic": "the politics of colonial memory",
        "teaser": (
            "Apologies, restitution of objects and opened archives: how {place} deals with the "
            "colonial past is now part of its diplomacy."
        ),
        "summary": (
            "Demands for recognition and reparation weigh on relations between {place} and "
            "former colonies or colonisers. Governments that address them openly find their "
            "partnerships strengthened."
        ),
        "themes": ["decolonisation", "diplomacy"],
        "regions": ["france", "united-kingdom", "italy", "kenya"],
        "units": ["africa-and-europe-program"],
    },
    {
        "title": "Twin Cities, Rival States: Municipal Partnerships with {place}",
        "topic": "municipal partnerships with rival powers",
        "teaser": (
            "Sister-city ties with {place} were once uncontroversial. In a tenser world, local "
            "governments must decide which to keep and how."
        ),
        "summary": (
            "Many cities maintain partnerships with counterparts in {place}. Some have "
            "suspended them, others keep them as channels of dialogue; few have clear criteria "
            "for deciding."
        ),
        "themes": ["cities-and-local-governments", "diplomacy"],
        "regions": ["asia", "russia-and-eurasia", "united-states"],
        "units": ["city-diplomacy-program"],
    },
    {
        "title": "Grain, Fertiliser and Food Security in {place}",
        "topic": "food security",
        "teaser": (
            "Wars and export bans have shaken food markets, and in {place} the price of bread "
            "quickly becomes a political question."
        ),
        "summary": (
            "{place_cap} depends heavily on imported cereals and fertiliser. Price shocks since "
            "2022 have strained public finances and revived questions of self-sufficiency."
        ),
        "themes": ["economy-and-trade", "geopolitics"],
        "regions": ["north-africa", "middle-east", "east-africa"],
        "units": ["russia-and-the-global-south-program", "climate-and-security-program"],
    },
    {
        "title": "The Gulf Monarchies' Growing Footprint in {place}",
        "topic": "Gulf investment and influence",
        "teaser": (
            "Investment funds, ports, airlines and mediation: the Gulf monarchies have become "
            "major players in {place}. What are they after?"
        ),
        "summary": (
            "Saudi Arabia, the United Arab Emirates and Qatar combine investment, security "
            "cooperation and mediation in {place}, in competition with each other and with "
            "Turkey."
        ),
        "themes": ["geopolitics", "economy-and-trade"],
        "regions": ["east-africa", "north-africa", "sahel"],
        "units": ["africa-center"],
    },
    {
        "title": "Frozen Conflicts and Shifting Alliances in {place}",
        "topic": "unresolved conflicts",
        "teaser": (
            "Old conflicts in {place} are thawing as Moscow's attention and influence shift. "
            "Regional powers are moving into the gap."
        ),
        "summary": (
            "The war in Ukraine has weakened Russia's role as arbiter in {place}. Turkey, Iran, "
            "China and the European Union each seek to shape what comes next."
        ),
        "themes": ["security-and-defence", "geopolitics"],
        "regions": ["russia-and-eurasia"],
        "units": ["russia-eurasia-center"],
    },
    {
        "title": "Artificial Intelligence and the Future of Deterrence",
        "topic": "artificial intelligence in defence",
        "teaser": (
            "Autonomous systems and machine-speed decisions could make crises harder to "
            "control. Which safeguards can states agree on?"
        ),
        "summary": (
            "Artificial intelligence is entering early warning, targeting and command systems. "
            "It promises speed but also raises the risk of miscalculation between nuclear "
            "powers."
        ),
        "themes": ["technology", "security-and-defence"],
        "regions": ["world"],
        "units": ["defence-futures-program"],
    },
    {
        "title": "Hydrogen Partnerships between Europe and {place}",
        "topic": "green hydrogen partnerships",
        "teaser": (
            "Europe hopes to import green hydrogen from {place}. The projects are ambitious; "
            "the business case and local benefits are less certain."
        ),
        "summary": (
            "Sun, wind and land make {place} a candidate supplier of green hydrogen for Europe. "
            "Producers want local industry and jobs, not only export pipelines."
        ),
        "themes": ["energy-and-climate", "economy-and-trade"],
        "regions": ["north-africa", "middle-east", "africa"],
        "units": ["energy-and-climate-center"],
    },
    {
        "title": "Urban Violence and Local Governance in {place}",
        "topic": "urban security",
        "teaser": (
            "Organised crime and urban violence are local problems with global roots. Mayors "
            "in {place} are experimenting with new answers."
        ),
        "summary": (
            "Cities in {place} face gangs, trafficking networks and violent protest. Policies "
            "that combine policing, prevention and urban planning show the most durable "
            "results."
        ),
        "themes": ["cities-and-local-governments", "security-and-defence", "governance"],
        "regions": ["americas", "africa", "kenya"],
        "units": ["urban-risk-and-resilience-program"],
    },
    {
        "title": "Nuclear Energy Diplomacy in {place}",
        "topic": "civil nuclear cooperation",
        "teaser": (
            "Selling reactors is also selling a long-term relationship. Who is building nuclear "
            "power in {place}, and what comes with it?"
        ),
        "summary": (
            "Russian, Chinese, Korean, French and American suppliers compete for nuclear "
            "projects in {place}. Financing, fuel supply and training tie buyers to sellers "
            "for decades."
        ),
        "themes": ["energy-and-climate", "diplomacy"],
        "regions": ["middle-east", "africa", "asia"],
        "units": ["energy-and-climate-center", "russia-and-the-global-south-program"],
    },
    {
        "title": "Coups, Juntas and Regional Organisations in {place}",
        "topic": "military coups and regional responses",
        "teaser": (
            "A wave of coups has challenged regional organisations in {place}. Sanctions "
            "failed to reverse them; what could work instead?"
        ),
        "summary": (
            "Military governments in {place} have defied regional sanctions and forged new "
            "alliances. Regional organisations must rethink how they defend constitutional "
            "order without isolating populations."
        ),
        "themes": ["governance", "security-and-defence", "diplomacy"],
        "regions": ["sahel", "central-africa"],
        "units": ["africa-center", "security-studies-center"],
    },
    {
        "title": "Refugee Cities: Local Responses to Displacement in {place}",
        "topic": "urban refugee reception",
        "teaser": (
            "Most refugees live in cities, not camps. Local governments in {place} carry much "
            "of the burden with little say in national policy."
        ),
        "summary": (
            "Municipalities in {place} house, school and employ people displaced by conflict "
            "and climate. Those that plan for long stays rather than emergencies integrate "
            "newcomers better."
        ),
        "themes": ["migration", "cities-and-local-governments"],
        "regions": ["middle-east", "europe", "east-africa"],
        "units": ["city-diplomacy-program"],
    },
    {
        "title": "Trade Routes under Threat: Maritime Security in {place}",
        "topic": "maritime security",
        "teaser": (
            "Attacks on shipping and contested waters raise the cost of trade through "
            "{place}. Naval coalitions can protect routes, but not settle the disputes behind "
            "them."
        ),
        "summary": (
            "Piracy, missile attacks and territorial disputes threaten the sea lanes of "
            "{place}. Insurance costs rise and shipping reroutes, with effects far beyond the "
            "region."
        ),
        "themes": ["security-and-defence", "economy-and-trade"],
        "regions": ["middle-east", "east-africa", "asia"],
        "units": ["security-studies-center"],
    },
]

GENERIC_SECTIONS = [
    (
        "Context",
        "Debates about {topic} in {place} have intensified over the past few years. Decisions "
        "once left to specialists now draw the attention of heads of government, parliaments "
        "and the media, and outside partners follow them closely.",
    ),
    (
        "Method",
        "This analysis draws on interviews with officials, researchers and practitioners, on "
        "public statistics and on a review of recent policy documents. Where data are "
        "incomplete, we say so and indicate the range of plausible estimates.",
    ),
    (
        "Findings",
        "Three findings stand out. Policies on {topic} are more fragmented than official "
        "statements suggest; the actors with the most at stake are often the least consulted; "
        "and outside partners tend to pursue their own priorities rather than those of "
        "{place}.",
    ),
    (
        "The role of outside powers",
        "European, American, Chinese, Russian, Turkish and Gulf actors all play a part in "
        "{topic} in {place}. Their offers differ in conditions, speed and visibility, and "
        "local governments have become skilled at playing them against each other.",
    ),
    (
        "Implications for Europe",
        "For European governments, {topic} in {place} is not a distant question. It affects "
        "energy prices, migration, the security of supply chains and the credibility of "
        "Europe's partnerships. A consistent European position would carry more weight than "
        "twenty-seven separate ones.",
    ),
    (
        "Recommendations",
        "Decision-makers should invest in reliable data, consult local stakeholders early, "
        "coordinate with like-minded partners and set measurable objectives. Above all, "
        "policies on {topic} should be judged on their results for the people of {place}.",
    ),
]

GENERIC_CLOSINGS = [
    "The analysis concludes with recommendations for national governments, the European "
    "Union and international partners.",
    "It draws on interviews and field research conducted over the past two years.",
    "It ends with scenarios for the coming five years and the signals to watch.",
    "It proposes practical steps for decision-makers in the region and in Europe.",
]

ABOUT_INSTITUTE = (
    "The Institute for International Studies is an independent research centre and forum for "
    "debate on international affairs. It does not take institutional positions: the opinions "
    "expressed in its publications are the responsibility of their authors alone."
)
ABOUT_INSTITUTE_FR = (
    "L'Institut d'études internationales est un centre de recherche et de débat indépendant "
    "consacré aux questions internationales. Il ne prend pas de position institutionnelle : "
    "les opinions exprimées dans ses publications n'engagent que leurs auteurs."
)

TYPE_WEIGHTS = [("note", 5), ("study", 3), ("policy-brief", 4), ("report", 2), ("book", 1)]
SERIES_FOR_TYPE = {"note": "notes", "study": "etudes"}
FIRST_SERIES_NUMBER = {"notes": 101, "etudes": 61}
GENERATED_COUNT = 40
AFRICAN_REGIONS = {
    "africa", "east-africa", "kenya", "central-africa", "democratic-republic-of-the-congo",
    "sahel", "north-africa",
}  # fmt: skip
EUROPEAN_REGIONS = {"europe", "france", "italy", "united-kingdom"}
AFRICAN_UNITS = {"africa-center", "africa-and-europe-program", "great-lakes-program"}


def _fill(text, place):
    place_cap = place[0].upper() + place[1:]
    return text.format(place=place, place_cap=place_cap)


def generated_analyses(experts=EXPERTS, count=GENERATED_COUNT):
    """The specifications of the generated analyses, in a fixed order (random.Random(42)): same
    titles, slugs, dates and authors on every run."""
    rng = random.Random(42)
    experts_by_center = {}
    for expert in experts:
        experts_by_center.setdefault(expert["center"], []).append(expert["slug"])
    programme_center = {
        programme["slug"]: center["slug"]
        for center in CENTERS
        for programme in center["programmes"]
    }
    combos = [(t, region) for t in range(len(TEMPLATES)) for region in TEMPLATES[t]["regions"]]
    rng.shuffle(combos)
    used, specs, seen_titles = {}, [], set()
    for template_index, region in combos:
        if len(specs) == count:
            break
        if used.get(template_index, 0) >= 2:
            continue
        template = TEMPLATES[template_index]
        place = PLACES[region]
        title = _fill(template["title"], place)
        if title in seen_titles:
            continue
        seen_titles.add(title)
        used[template_index] = used.get(template_index, 0) + 1
        fitting = [
            u for u in template["units"] if (u in AFRICAN_UNITS) == (region in AFRICAN_REGIONS)
        ]
        unit = rng.choice(fitting or template["units"])
        center = programme_center.get(unit, unit)
        authors = rng.sample(experts_by_center[center], k=min(len(experts_by_center[center]), 2))
        authors = authors[: rng.choice((1, 1, 2))]
        if rng.random() < 0.15:
            authors.append(rng.choice(EXTERNAL_AUTHORS))
        kind = rng.choices([k for k, _ in TYPE_WEIGHTS], [w for _, w in TYPE_WEIGHTS])[0]
        date = datetime.date(2019, 1, 7) + datetime.timedelta(days=rng.randrange(0, 2500))
        topic_sentence = _fill(template["summary"], place)
        sections = [
            section
            for section in rng.sample(GENERIC_SECTIONS, k=rng.randint(2, 6))
            if not (section[0] == "Implications for Europe" and region in EUROPEAN_REGIONS)
        ]
        themes = [*template["themes"], *rng.sample([t[1] for t in THEMES], k=rng.choice((0, 1)))]
        spec = {
            "title": title,
            "slug": slugify(title),
            "date": min(date, datetime.date(2025, 12, 15)),
            "type": kind,
            "series": SERIES_FOR_TYPE.get(kind),
            "themes": list(dict.fromkeys(themes)),
            "regions": [region],
            "authors": authors,
            "units": list(dict.fromkeys([center, unit])),
            "search_description": _fill(template["teaser"], place),
            "summary": [
                topic_sentence + " " + rng.choice(GENERIC_CLOSINGS),
                _fill(rng.choice(GENERIC_SECTIONS)[1].replace("{topic}", template["topic"]), place),
            ],
            "sections": [
                (heading, _fill(text.replace("{topic}", template["topic"]), place))
                for heading, text in sections
            ],
            "with_cover": rng.random() < 0.3,
            "long": rng.random() < 0.4,
        }
        if kind in ("book", "report"):
            spec["isbn"] = make_isbn13(f"9791037301{len(specs):02d}")
        specs.append(spec)
    # Numbers in a series follow the publication dates.
    next_number = dict(FIRST_SERIES_NUMBER)
    for spec in sorted(specs, key=lambda spec: spec["date"]):
        spec["series_number"] = ""
        if spec["series"]:
            spec["series_number"] = str(next_number[spec["series"]])
            next_number[spec["series"]] += 1
    for spec in specs:
        spec["pdf_name"] = spec["slug"][:60].rstrip("-") + ".pdf"
    return specs


# --- Research centres: people, themes, partners, archiving; editorial users --------------------
# Kept apart from CENTERS and EXPERTS above so that a database loaded before these existed gets
# them on the next run of the loader (builder.ensure_research_details).

# The head of each centre is the expert whose role starts with "Director"; the rest of the
# experts under the centre form its team, in the order of EXPERTS.
CENTER_TERMS = {
    "africa-center": (["governance", "decolonisation", "peacekeeping"], ["africa"]),
    "russia-eurasia-center": (["geopolitics", "security-and-defence"], ["russia-and-eurasia"]),
    "security-studies-center": (["security-and-defence", "peacekeeping"], ["europe", "sahel"]),
    "center-for-geopolitics-of-cities": (
        ["cities-and-local-governments", "diplomacy"],
        ["world"],
    ),
    "energy-and-climate-center": (["energy-and-climate", "economy-and-trade"], ["world"]),
}

# programme slug: (lead slug, member slugs, themes, regions, partners as (name, url or ""))
PROGRAMME_DETAILS = {
    "africa-and-europe-program": (
        "giulia-ferraresi",
        ["samuel-adeyemi", "wanjiru-kamau"],
        ["diplomacy", "migration"],
        ["africa", "europe"],
        [
            ("Mediterranean Policy Forum", "https://example.org/mpf"),
            ("West African Governance Lab", ""),
        ],
    ),
    "great-lakes-program": (
        "etienne-mukendi",
        ["kwame-asante"],
        ["peacekeeping", "governance"],
        ["central-africa", "democratic-republic-of-the-congo"],
        [("Kivu Research Network", "https://example.org/kivu")],
    ),
    "russia-and-the-global-south-program": (
        "timur-abdullaev",
        ["aleksandra-wisniewska"],
        ["geopolitics", "economy-and-trade"],
        ["russia-and-eurasia", "africa"],
        [],
    ),
    "peace-operations-program": (
        "kwame-asante",
        ["nadia-benali", "etienne-mukendi"],
        ["peacekeeping"],
        ["africa", "middle-east"],
        [("Training Centre for Peace Operations", "https://example.org/tcpo")],
    ),
    "defence-futures-program": (
        "claire-dubois-haddad",
        [],
        ["security-and-defence", "technology"],
        ["europe"],
        [],
    ),
    "city-diplomacy-program": (
        "rafael-montoya",
        ["hannah-lindqvist"],
        ["cities-and-local-governments", "diplomacy"],
        ["world"],
        [
            ("Metropolitan Policy Observatory", "https://example.org/mpo"),
            ("Network of Mayors for Peace", ""),
        ],
    ),
    "urban-risk-and-resilience-program": (
        "mei-lin-tan",
        ["hannah-lindqvist"],
        ["cities-and-local-governments", "technology"],
        ["world"],
        [],
    ),
    "climate-and-security-program": (
        "priya-raghunathan",
        ["lars-henriksen", "nadia-benali"],
        ["energy-and-climate", "security-and-defence"],
        ["sahel", "world"],
        [],
    ),
}

# An ended programme: still online, marked as archived, listed apart on the centres index.
ARCHIVED_PROGRAMME = {
    "center": "russia-eurasia-center",
    "slug": "caspian-energy-program",
    "title": "Caspian Energy program (2014-2022)",
    "title_fr": "Programme Énergie de la Caspienne (2014-2022)",
    "introduction": "Oil and gas routes around the Caspian Sea, until the programme ended in 2022.",
    "introduction_fr": (
        "Les routes du pétrole et du gaz autour de la Caspienne, jusqu'à la fin du programme en "
        "2022."
    ),
    "description": (
        "<p>For eight years the programme followed pipelines, transit agreements and the "
        "rivalries of producers around the Caspian Sea. Its work continues within the "
        "Russia and the Global South program.</p>"
    ),
    "description_fr": (
        "<p>Pendant huit ans, le programme a suivi les oléoducs, les accords de transit et les "
        "rivalités des producteurs autour de la Caspienne.</p>"
    ),
}

# expert slug: (languages, languages in French, other centres)
EXPERT_DETAILS = {
    "samuel-adeyemi": ("English, French, Yoruba", "anglais, français, yoruba", []),
    "wanjiru-kamau": ("English, Swahili", "anglais, swahili", []),
    "etienne-mukendi": (
        "French, Lingala, Swahili, English",
        "français, lingala, swahili, anglais",
        ["security-studies-center"],
    ),
    "giulia-ferraresi": ("Italian, English, French", "italien, anglais, français", []),
    "aleksandra-wisniewska": ("Polish, Russian, English", "polonais, russe, anglais", []),
    "timur-abdullaev": (
        "Uzbek, Russian, English",
        "ouzbek, russe, anglais",
        ["energy-and-climate-center"],
    ),
    "claire-dubois-haddad": ("French, English, Arabic", "français, anglais, arabe", []),
    "kwame-asante": ("English, Twi, French", "anglais, twi, français", ["africa-center"]),
    "nadia-benali": ("Arabic, French, English", "arabe, français, anglais", []),
    "hannah-lindqvist": ("Swedish, English, German", "suédois, anglais, allemand", []),
    "rafael-montoya": ("Spanish, English, Portuguese", "espagnol, anglais, portugais", []),
    "mei-lin-tan": ("English, Mandarin, Malay", "anglais, mandarin, malais", []),
    "lars-henriksen": ("Danish, English, Norwegian", "danois, anglais, norvégien", []),
    "priya-raghunathan": (
        "English, Tamil, Hindi",
        "anglais, tamoul, hindi",
        ["security-studies-center"],
    ),
}

# Demo users, one per role (README "Roles and demo accounts"). Published passwords: these exist
# only in a database filled by load_demo_content, never in settings.
DEMO_USERS = [
    {
        "username": "editor",
        "password": "demo-editor-2026",
        "email": "editor@example.org",
        "first_name": "Eda",
        "last_name": "Editor",
        "groups": ["Editors"],
    },
    {
        "username": "moderator",
        "password": "demo-moderator-2026",
        "email": "moderator@example.org",
        "first_name": "Mo",
        "last_name": "Moderator",
        "groups": ["Moderators"],
    },
    {
        "username": "research",
        "password": "demo-research-2026",
        "email": "research@example.org",
        "first_name": "Ria",
        "last_name": "Research",
        # The staff group of the Africa Center (created with the centre; see roles.py).
        "staff_of_center": "africa-center",
        "groups": [],
    },
]
