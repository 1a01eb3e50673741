namespace Cohort.Demo.Generation;

/// <summary>The word lists the demo data is drawn from. Brands are Microsoft's fictional ones.</summary>
internal static class Vocabulary
{
    /// <summary>Given names as written, as upper case, and in ASCII for e-mail addresses.</summary>
    public static readonly (string Name, string Upper, string Ascii)[] FirstNames =
    [
        ("Olivia", "OLIVIA", "olivia"), ("Liam", "LIAM", "liam"), ("Emma", "EMMA", "emma"), ("Noah", "NOAH", "noah"),
        ("Ava", "AVA", "ava"), ("Oliver", "OLIVER", "oliver"), ("Sophia", "SOPHIA", "sophia"), ("Elijah", "ELIJAH", "elijah"),
        ("Mia", "MIA", "mia"), ("James", "JAMES", "james"), ("Amelia", "AMELIA", "amelia"), ("Lucas", "LUCAS", "lucas"),
        ("Isabella", "ISABELLA", "isabella"), ("Mateo", "MATEO", "mateo"), ("Charlotte", "CHARLOTTE", "charlotte"), ("Leo", "LEO", "leo"),
        ("Harper", "HARPER", "harper"), ("Ethan", "ETHAN", "ethan"), ("Ella", "ELLA", "ella"), ("Henry", "HENRY", "henry"),
        ("Aisha", "AISHA", "aisha"), ("Omar", "OMAR", "omar"), ("Priya", "PRIYA", "priya"), ("Arjun", "ARJUN", "arjun"),
        ("Mei", "MEI", "mei"), ("Wei", "WEI", "wei"), ("Yuki", "YUKI", "yuki"), ("Haruto", "HARUTO", "haruto"),
        ("Sofia", "SOFIA", "sofia"), ("Luca", "LUCA", "luca"), ("Hannah", "HANNAH", "hannah"), ("Felix", "FELIX", "felix"),
        ("Lena", "LENA", "lena"), ("Jonas", "JONAS", "jonas"), ("Chloé", "CHLOÉ", "chloe"), ("Hugo", "HUGO", "hugo"),
        ("Camille", "CAMILLE", "camille"), ("Louis", "LOUIS", "louis"), ("Inès", "INÈS", "ines"), ("Raphaël", "RAPHAËL", "raphael"),
        ("Freya", "FREYA", "freya"), ("Oscar", "OSCAR", "oscar"), ("Isla", "ISLA", "isla"), ("Jack", "JACK", "jack"),
        ("Grace", "GRACE", "grace"), ("Harry", "HARRY", "harry"), ("Zoë", "ZOË", "zoe"), ("Mohammed", "MOHAMMED", "mohammed"),
        ("Fatima", "FATIMA", "fatima"), ("Ali", "ALI", "ali"), ("Nora", "NORA", "nora"), ("Erik", "ERIK", "erik"),
        ("Astrid", "ASTRID", "astrid"), ("Søren", "SØREN", "soren"), ("Maja", "MAJA", "maja"), ("Carlos", "CARLOS", "carlos"),
        ("Lucía", "LUCÍA", "lucia"), ("Diego", "DIEGO", "diego"), ("Valentina", "VALENTINA", "valentina"), ("José", "JOSÉ", "jose"),
        ("Elena", "ELENA", "elena"), ("Marco", "MARCO", "marco"), ("Giulia", "GIULIA", "giulia"), ("Sara", "SARA", "sara"),
        ("Daniel", "DANIEL", "daniel"), ("Anna", "ANNA", "anna"), ("David", "DAVID", "david"), ("Laura", "LAURA", "laura"),
        ("Michael", "MICHAEL", "michael"), ("Emily", "EMILY", "emily"), ("Sarah", "SARAH", "sarah"), ("Chris", "CHRIS", "chris"),
        ("Jessica", "JESSICA", "jessica"), ("Ryan", "RYAN", "ryan"), ("Megan", "MEGAN", "megan"), ("Kevin", "KEVIN", "kevin"),
        ("Nicole", "NICOLE", "nicole"), ("Tom", "TOM", "tom"), ("Lily", "LILY", "lily"), ("Sam", "SAM", "sam"),
    ];

    public static readonly (string Name, string Upper, string Ascii)[] LastNames =
    [
        ("Smith", "SMITH", "smith"), ("Johnson", "JOHNSON", "johnson"), ("Williams", "WILLIAMS", "williams"), ("Brown", "BROWN", "brown"),
        ("Jones", "JONES", "jones"), ("Garcia", "GARCIA", "garcia"), ("Miller", "MILLER", "miller"), ("Davis", "DAVIS", "davis"),
        ("Rodriguez", "RODRIGUEZ", "rodriguez"), ("Martinez", "MARTINEZ", "martinez"), ("Hernández", "HERNÁNDEZ", "hernandez"), ("Lopez", "LOPEZ", "lopez"),
        ("Wilson", "WILSON", "wilson"), ("Anderson", "ANDERSON", "anderson"), ("Thomas", "THOMAS", "thomas"), ("Taylor", "TAYLOR", "taylor"),
        ("Moore", "MOORE", "moore"), ("Jackson", "JACKSON", "jackson"), ("Martin", "MARTIN", "martin"), ("Lee", "LEE", "lee"),
        ("Perez", "PEREZ", "perez"), ("Thompson", "THOMPSON", "thompson"), ("White", "WHITE", "white"), ("Harris", "HARRIS", "harris"),
        ("Clark", "CLARK", "clark"), ("Lewis", "LEWIS", "lewis"), ("Robinson", "ROBINSON", "robinson"), ("Walker", "WALKER", "walker"),
        ("Young", "YOUNG", "young"), ("Allen", "ALLEN", "allen"), ("King", "KING", "king"), ("Wright", "WRIGHT", "wright"),
        ("Scott", "SCOTT", "scott"), ("Torres", "TORRES", "torres"), ("Nguyen", "NGUYEN", "nguyen"), ("Hill", "HILL", "hill"),
        ("Green", "GREEN", "green"), ("Adams", "ADAMS", "adams"), ("Baker", "BAKER", "baker"), ("Hall", "HALL", "hall"),
        ("Campbell", "CAMPBELL", "campbell"), ("Mitchell", "MITCHELL", "mitchell"), ("Carter", "CARTER", "carter"), ("Roberts", "ROBERTS", "roberts"),
        ("Müller", "MÜLLER", "mueller"), ("Schmidt", "SCHMIDT", "schmidt"), ("Schneider", "SCHNEIDER", "schneider"), ("Fischer", "FISCHER", "fischer"),
        ("Weber", "WEBER", "weber"), ("Meyer", "MEYER", "meyer"), ("Wagner", "WAGNER", "wagner"), ("Becker", "BECKER", "becker"),
        ("Dubois", "DUBOIS", "dubois"), ("Lefèvre", "LEFÈVRE", "lefevre"), ("Moreau", "MOREAU", "moreau"), ("Laurent", "LAURENT", "laurent"),
        ("Rossi", "ROSSI", "rossi"), ("Russo", "RUSSO", "russo"), ("Ferrari", "FERRARI", "ferrari"), ("Esposito", "ESPOSITO", "esposito"),
        ("Kowalski", "KOWALSKI", "kowalski"), ("Nowak", "NOWAK", "nowak"), ("Jansen", "JANSEN", "jansen"), ("de Vries", "DE VRIES", "devries"),
        ("van Dijk", "VAN DIJK", "vandijk"), ("Patel", "PATEL", "patel"), ("Singh", "SINGH", "singh"), ("Kumar", "KUMAR", "kumar"),
        ("Khan", "KHAN", "khan"), ("Tanaka", "TANAKA", "tanaka"), ("Suzuki", "SUZUKI", "suzuki"), ("Kim", "KIM", "kim"),
        ("Chen", "CHEN", "chen"), ("Wang", "WANG", "wang"), ("O'Brien", "O'BRIEN", "obrien"), ("Murphy", "MURPHY", "murphy"),
        ("Kelly", "KELLY", "kelly"), ("Walsh", "WALSH", "walsh"), ("Andersson", "ANDERSSON", "andersson"), ("Nielsen", "NIELSEN", "nielsen"),
    ];

    /// <summary>Country, weight, calling code, national-number prefix and digits, cities, postal-code style.</summary>
    public static readonly Country[] Countries =
    [
        new("US", 38, "1", ["212", "415", "312", "617", "206", "512", "303", "404"], 7, ["New York", "San Francisco", "Chicago", "Boston", "Seattle", "Austin", "Denver", "Atlanta"], PostalStyle.FiveDigits),
        new("GB", 14, "44", ["7700", "7911", "7400"], 6, ["London", "Manchester", "Birmingham", "Leeds", "Edinburgh", "Glasgow", "Bristol"], PostalStyle.British),
        new("DE", 11, "49", ["151", "160", "170"], 8, ["Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Leipzig"], PostalStyle.FiveDigits),
        new("FR", 9, "33", ["6", "7"], 8, ["Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille"], PostalStyle.FiveDigits),
        new("CA", 7, "1", ["416", "604", "514", "403"], 7, ["Toronto", "Vancouver", "Montréal", "Calgary", "Ottawa"], PostalStyle.Canadian),
        new("AU", 5, "61", ["4"], 8, ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide"], PostalStyle.FourDigits),
        new("NL", 4, "31", ["6"], 8, ["Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"], PostalStyle.Dutch),
        new("ES", 4, "34", ["6", "7"], 8, ["Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"], PostalStyle.FiveDigits),
        new("IT", 4, "39", ["3"], 9, ["Roma", "Milano", "Napoli", "Torino", "Bologna"], PostalStyle.FiveDigits),
        new("SE", 2, "46", ["70", "73"], 7, ["Stockholm", "Göteborg", "Malmö", "Uppsala"], PostalStyle.Swedish),
        new("IE", 2, "353", ["85", "87"], 7, ["Dublin", "Cork", "Galway", "Limerick"], PostalStyle.Irish),
    ];

    public static readonly string[] Streets =
    [
        "Maple Street", "High Street", "Park Road", "Station Road", "Church Lane", "Mill Road", "Oak Avenue", "Elm Street",
        "Victoria Road", "King Street", "Queen Street", "Bridge Street", "Market Street", "Cedar Lane", "Lake View",
        "Garden Way", "Harbour Road", "North Road", "South Street", "Riverside Drive", "Sunset Boulevard", "Hillcrest Avenue",
    ];

    public static readonly string[] BritishOutwardCodes = ["SW1A", "EC1V", "W1D", "N1", "E2", "M1", "B2", "LS1", "EH1", "G1", "BS1", "CF10"];

    /// <summary>Consumer mail domains and their share of primary addresses; the rest go to a national provider.</summary>
    public static readonly (string Domain, double Weight)[] MailDomains =
    [
        ("gmail.com", 40), ("yahoo.com", 10), ("hotmail.com", 9), ("outlook.com", 9), ("icloud.com", 8), ("aol.com", 2), ("proton.me", 2),
    ];

    public static readonly (string Country, string Domain)[] NationalMailDomains =
    [
        ("US", "comcast.net"), ("GB", "btinternet.com"), ("DE", "gmx.de"), ("FR", "orange.fr"), ("CA", "rogers.com"), ("AU", "bigpond.com"),
        ("NL", "ziggo.nl"), ("ES", "telefonica.es"), ("IT", "libero.it"), ("SE", "telia.se"), ("IE", "eircom.net"),
    ];

    /// <summary>Domains of second (work) addresses.</summary>
    public static readonly string[] WorkDomains =
        ["northwind.example", "contoso.example", "fabrikam.example", "tailspin.example", "litware.example", "proseware.example", "gmail.com", "outlook.com"];

    /// <summary>Identifiers that many unrelated people type into forms.</summary>
    public static readonly string[] JunkEmails = ["test@test.com", "none@none.com", "no@email.com", "null", "N/A", "asdf@asdf.com", "noreply@example.com", ""];

    public static readonly string[] JunkPhones = ["000-000-0000", "0000000000", "1234567890", "555-555-5555", "+1 000 000 0000", "n/a", "null"];

    public static readonly Category[] Categories =
    [
        new(1, "shoes", "Apparel", 11, 4_999, 22_000, ["Trail Runner", "City Sneaker", "Court Classic", "Chelsea Boot", "Loafer", "Sandal", "Hiking Boot", "Slip-On"]),
        new(2, "apparel", "Apparel", 16, 1_499, 15_000, ["Hoodie", "Crew Tee", "Denim Jacket", "Chinos", "Rain Shell", "Merino Sweater", "Linen Shirt", "Joggers"]),
        new(3, "bags", "Accessories", 7, 2_499, 30_000, ["Tote", "Backpack", "Weekender", "Crossbody Bag", "Laptop Sleeve", "Duffel"]),
        new(4, "accessories", "Accessories", 9, 999, 12_000, ["Beanie", "Sunglasses", "Leather Belt", "Wallet", "Scarf", "Watch Strap"]),
        new(5, "beauty", "Health & Beauty", 10, 799, 9_000, ["Face Serum", "Lip Balm", "Hand Cream", "Shampoo Bar", "Sunscreen", "Body Oil"]),
        new(6, "home", "Home", 8, 1_499, 25_000, ["Throw Blanket", "Ceramic Vase", "Scented Candle", "Linen Cushion", "Table Lamp", "Wall Print"]),
        new(7, "kitchen", "Home", 7, 999, 20_000, ["Chef Knife", "Pour-Over Kettle", "Cast Iron Pan", "Espresso Cups", "Cutting Board", "Storage Jars"]),
        new(8, "electronics", "Electronics", 8, 1_999, 90_000, ["Wireless Earbuds", "Smart Speaker", "Power Bank", "Fitness Tracker", "E-Reader", "Action Camera"]),
        new(9, "books", "Media", 6, 799, 4_000, ["Cookbook", "Travel Guide", "Novel", "Field Journal", "Photo Book", "Puzzle Book"]),
        new(10, "toys", "Kids", 5, 999, 12_000, ["Building Blocks", "Plush Bear", "Wooden Train", "Puzzle Set", "Art Kit"]),
        new(11, "sports", "Outdoors", 7, 1_499, 40_000, ["Yoga Mat", "Running Vest", "Tennis Racket", "Kettlebell", "Cycling Gloves", "Swim Goggles"]),
        new(12, "outdoors", "Outdoors", 6, 1_999, 50_000, ["Tent", "Sleeping Bag", "Camp Stove", "Trekking Poles", "Headlamp", "Water Filter"]),
    ];

    public static readonly string[] Adjectives = ["Heritage", "Everyday", "Pro", "Lite", "Urban", "Essential", "Premium", "Eco", "Retro", "Signature", "Alpine", "Coastal"];

    public static readonly string[] Colours = ["Black", "White", "Navy", "Olive", "Sand", "Red", "Grey", "Forest"];

    public static readonly string[] Brands = ["Northwind", "Contoso", "Fabrikam", "Tailspin", "Adventure Works", "Wingtip", "Litware", "Proseware", "Lucerne", "Alpine Ski House"];

    public static readonly string[] LandingPages = ["/", "/", "/", "/sale", "/new", "/search", "/account", "/blog/gift-guide", "/blog/care-tips", "/stores"];

    public static readonly string[] TicketSubjects =
        ["Where is my order?", "Return request", "Wrong size", "Damaged item", "Change delivery address", "Cancel subscription", "Discount code not working", "Password reset", "Invoice request"];

    public static readonly string[] NewsletterSources = ["footer", "popup", "checkout", "blog", "in_store", "giveaway"];

    public static readonly string[] DiscountCodes = ["WELCOME10", "SPRING15", "VIP20", "FREESHIP", "BLACKFRIDAY"];
}

internal enum PostalStyle
{
    FiveDigits,
    FourDigits,
    British,
    Canadian,
    Dutch,
    Swedish,
    Irish,
}

internal sealed record Country(
    string Code,
    double Weight,
    string CallingCode,
    string[] NumberPrefixes,
    int SubscriberDigits,
    string[] Cities,
    PostalStyle Postal);

/// <summary>A product category, its share of the catalogue and the range of its prices in cents.</summary>
internal sealed record Category(int Id, string Name, string Department, double Weight, int MinCents, int MaxCents, string[] Nouns);
