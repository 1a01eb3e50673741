namespace Cohort.Demo.Corrupted;

/// <summary>
/// The fixed word lists behind <see cref="CorruptedPeople"/>. Lists are ordered by how common the value is:
/// the generator draws from them with Zipf-like weights, so a few names are very common (what term-frequency
/// adjustment is for) and most are rare.
/// </summary>
internal static class CorruptedVocabulary
{
    /// <summary>Given names, most common first. Many have nicknames (see <see cref="Nicknames"/>).</summary>
    public static readonly string[] FirstNames = Split("""
        James Mary Robert Patricia John Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica
        Thomas Sarah Charles Karen Christopher Margaret Daniel Nancy Matthew Lisa Anthony Betty Donald Dorothy Mark Sandra
        Paul Ashley Steven Kimberly Andrew Donna Kenneth Emily Joshua Michelle George Carol Kevin Amanda Brian Melissa
        Edward Deborah Ronald Stephanie Timothy Rebecca Jason Laura Jeffrey Helen Ryan Sharon Jacob Cynthia Gary Kathleen
        Nicholas Amy Eric Shirley Stephen Angela Jonathan Anna Larry Ruth Justin Brenda Scott Pamela Frank Nicole
        Benjamin Katherine Gregory Samantha Samuel Christine Raymond Catherine Patrick Virginia Alexander Debra Jack Rachel
        Dennis Janet Jerry Emma Tyler Carolyn Aaron Maria Henry Heather Douglas Diane Peter Julie Adam Joyce
        Nathan Victoria Zachary Kelly Walter Christina Kyle Joan Harold Evelyn Carl Lauren Jeremy Judith Gerald Olivia
        Keith Frances Roger Martha Arthur Cheryl Terry Megan Lawrence Andrea Jesse Hannah Christian Jacqueline Albert Ann
        Willie Jean Austin Alice Joe Kathryn Ethan Gloria Bruce Teresa Bryan Doris Louis Sara Russell Janice Vincent Julia
        Philip Marie Bobby Madison Johnny Grace Logan Judy Theodore Abigail Alexandra Margarita Priya Wei Omar Aisha
        """);

    /// <summary>Family names, most common first.</summary>
    public static readonly string[] LastNames = Split("""
        Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson
        Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young
        Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts
        Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez
        Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James
        Bennett Gray Mendoza Ruiz Hughes Price Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins
        Perry Russell Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
        Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina
        Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells Vargas
        Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder
        Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer
        Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn Kelley Spencer
        Hawkins Arnold Pierce Vazquez Hansen Peters Santos Hart Bradley Knight Elliott Cunningham Duncan Armstrong Hudson
        Carroll Lane Riley Andrews Alvarado Ray Delgado Berry Perkins Hoffman Johnston Matthews Pena Richards Contreras
        Willis Carpenter Lawrence Sandoval Guerrero George Chapman Rios Estrada Ortega Watkins Greene Nunez Wheeler Valdez
        Harper Burke Larson Santiago Maldonado Morrison Franklin Carlson Austin Dominguez Carr Lawson Jacobs Obrien Lynch
        Singh Vega Bishop Montgomery Oliver Jensen Harvey Williamson Gilbert Dean Sims Espinoza Howell Li Wong Reid Hanson
        Le McCoy Garrett Burton Fuller Wang Weber Welch Rojas Lucas Marquez Fields Park Yang Little Banks Padilla Day Walsh
        Bowman Schultz Luna Fowler Mejia Davidson Acosta Brewer May Holland Juarez Newman Pearson Curtis Cortez Douglas
        Schneider Joseph Barrett Navarro Figueroa Keller Avila Wade Molina Stanley Hopkins Campos Barnett Bates Chambers
        Caldwell Beck Lambert Miranda Byrd Craig Ayala Lowe Frazier Powers Neal Leonard Gregory Carrillo Sutton Fleming
        """);

    /// <summary>Name families: the formal name and the short forms people write instead.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Nicknames = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["James"] = ["Jim", "Jimmy", "Jamie"], ["Robert"] = ["Bob", "Rob", "Bobby", "Robbie"], ["John"] = ["Jack", "Johnny"],
        ["Michael"] = ["Mike", "Mikey", "Mick"], ["William"] = ["Bill", "Will", "Billy", "Liam"], ["David"] = ["Dave", "Davey"],
        ["Richard"] = ["Rick", "Dick", "Rich", "Richie"], ["Joseph"] = ["Joe", "Joey"], ["Thomas"] = ["Tom", "Tommy"],
        ["Charles"] = ["Charlie", "Chuck", "Chas"], ["Christopher"] = ["Chris", "Topher"], ["Daniel"] = ["Dan", "Danny"],
        ["Matthew"] = ["Matt", "Matty"], ["Anthony"] = ["Tony", "Ant"], ["Donald"] = ["Don", "Donnie"],
        ["Steven"] = ["Steve", "Stevie"], ["Andrew"] = ["Andy", "Drew"], ["Kenneth"] = ["Ken", "Kenny"],
        ["Joshua"] = ["Josh"], ["Edward"] = ["Ed", "Eddie", "Ted", "Ned"], ["Ronald"] = ["Ron", "Ronnie"],
        ["Timothy"] = ["Tim", "Timmy"], ["Jeffrey"] = ["Jeff"], ["Jacob"] = ["Jake"], ["Nicholas"] = ["Nick", "Nicky"],
        ["Stephen"] = ["Steve"], ["Jonathan"] = ["Jon", "Johnny"], ["Lawrence"] = ["Larry"], ["Samuel"] = ["Sam", "Sammy"],
        ["Benjamin"] = ["Ben", "Benny"], ["Gregory"] = ["Greg"], ["Raymond"] = ["Ray"], ["Patrick"] = ["Pat", "Paddy"],
        ["Alexander"] = ["Alex", "Xander", "Sasha"], ["Gerald"] = ["Gerry", "Jerry"], ["Peter"] = ["Pete"],
        ["Zachary"] = ["Zach", "Zack"], ["Nathan"] = ["Nate"], ["Walter"] = ["Walt", "Wally"], ["Theodore"] = ["Ted", "Teddy", "Theo"],
        ["Albert"] = ["Al", "Bert"], ["Philip"] = ["Phil"], ["Vincent"] = ["Vince", "Vinny"], ["Frank"] = ["Frankie"],
        ["Douglas"] = ["Doug"], ["Russell"] = ["Russ"], ["Harold"] = ["Harry", "Hal"], ["Terry"] = ["Terrence"],
        ["Patricia"] = ["Pat", "Patty", "Trish", "Tricia"], ["Jennifer"] = ["Jen", "Jenny", "Jenn"], ["Elizabeth"] = ["Liz", "Beth", "Lizzie", "Betsy", "Eliza"],
        ["Barbara"] = ["Barb", "Babs"], ["Susan"] = ["Sue", "Susie"], ["Jessica"] = ["Jess", "Jessie"],
        ["Margaret"] = ["Maggie", "Meg", "Peggy", "Marge"], ["Katherine"] = ["Kate", "Katie", "Kathy", "Kat"], ["Catherine"] = ["Cathy", "Cat", "Cate"],
        ["Kathleen"] = ["Kathy", "Kath"], ["Deborah"] = ["Deb", "Debbie"], ["Debra"] = ["Deb", "Debbie"], ["Rebecca"] = ["Becky", "Becca"],
        ["Kimberly"] = ["Kim", "Kimmy"], ["Dorothy"] = ["Dot", "Dottie"], ["Stephanie"] = ["Steph"], ["Christine"] = ["Chris", "Chrissy"],
        ["Christina"] = ["Tina", "Chris"], ["Samantha"] = ["Sam", "Sammy"], ["Victoria"] = ["Vicky", "Tori"], ["Abigail"] = ["Abby"],
        ["Alexandra"] = ["Alex", "Lexi", "Sasha"], ["Jacqueline"] = ["Jackie"], ["Judith"] = ["Judy"], ["Pamela"] = ["Pam"],
        ["Cynthia"] = ["Cindy"], ["Sandra"] = ["Sandy"], ["Amanda"] = ["Mandy"], ["Melissa"] = ["Missy", "Mel"],
        ["Angela"] = ["Angie"], ["Virginia"] = ["Ginny"], ["Frances"] = ["Fran", "Frannie"], ["Theresa"] = ["Tess", "Terri"],
        ["Teresa"] = ["Tess", "Terri"], ["Evelyn"] = ["Evie"], ["Andrea"] = ["Andi"], ["Kathryn"] = ["Kate", "Katie"],
        ["Madison"] = ["Maddie"], ["Carolyn"] = ["Carol", "Carrie"], ["Margarita"] = ["Rita"],
    };

    /// <summary>Cities with a three-digit ZIP prefix, the number of ZIP codes drawn for them and an area code.</summary>
    public static readonly (string City, string ZipPrefix, int Zips, string AreaCode)[] Cities =
    [
        ("New York", "100", 12, "212"), ("Los Angeles", "900", 12, "213"), ("Chicago", "606", 10, "312"), ("Houston", "770", 9, "713"),
        ("Phoenix", "850", 8, "602"), ("Philadelphia", "191", 8, "215"), ("San Antonio", "782", 7, "210"), ("San Diego", "921", 7, "619"),
        ("Dallas", "752", 7, "214"), ("San Jose", "951", 6, "408"), ("Austin", "787", 6, "512"), ("Jacksonville", "322", 6, "904"),
        ("Fort Worth", "761", 5, "817"), ("Columbus", "432", 6, "614"), ("Charlotte", "282", 6, "704"), ("Indianapolis", "462", 6, "317"),
        ("San Francisco", "941", 8, "415"), ("Seattle", "981", 8, "206"), ("Denver", "802", 7, "303"), ("Washington", "200", 7, "202"),
        ("Boston", "021", 8, "617"), ("Nashville", "372", 5, "615"), ("Detroit", "482", 6, "313"), ("Portland", "972", 6, "503"),
        ("Las Vegas", "891", 6, "702"), ("Memphis", "381", 5, "901"), ("Louisville", "402", 5, "502"), ("Baltimore", "212", 5, "410"),
        ("Milwaukee", "532", 5, "414"), ("Albuquerque", "871", 4, "505"), ("Tucson", "857", 4, "520"), ("Fresno", "937", 4, "559"),
        ("Sacramento", "958", 5, "916"), ("Kansas City", "641", 5, "816"), ("Atlanta", "303", 7, "404"), ("Miami", "331", 7, "305"),
        ("Raleigh", "276", 4, "919"), ("Omaha", "681", 4, "402"), ("Minneapolis", "554", 6, "612"), ("Tulsa", "741", 4, "918"),
        ("Cleveland", "441", 5, "216"), ("Tampa", "336", 5, "813"), ("New Orleans", "701", 5, "504"), ("Pittsburgh", "152", 5, "412"),
        ("Cincinnati", "452", 4, "513"), ("St. Louis", "631", 5, "314"), ("Salt Lake City", "841", 4, "801"), ("Buffalo", "142", 4, "716"),
        ("Richmond", "232", 4, "804"), ("Boise", "837", 3, "208"),
    ];

    /// <summary>E-mail providers with their share of people.</summary>
    public static readonly (string Domain, double Weight)[] EmailProviders =
    [
        ("gmail.com", 0.42), ("yahoo.com", 0.15), ("hotmail.com", 0.11), ("outlook.com", 0.09), ("icloud.com", 0.08),
        ("aol.com", 0.05), ("comcast.net", 0.05), ("msn.com", 0.03), ("protonmail.com", 0.02),
    ];

    /// <summary>Junk e-mails typed in when the customer gave none: a few hubs and a few values shared by a handful.</summary>
    public static readonly (string Value, double Weight)[] JunkEmails =
    [
        ("info@example.com", 30), ("noemail@none.com", 25), ("test@test.com", 15), ("na@na.com", 12),
        ("orders@contoso-outfitters.com", 1.2), ("frontdesk@fabrikam-hotel.com", 1), ("me@me.com", 1), ("x@x.com", 0.8),
        ("customer@store.com", 0.8), ("donotemail@mail.com", 0.6),
    ];

    /// <summary>Junk phones in their usual typed form: placeholders, a shop's own line, a few shared office lines.</summary>
    public static readonly (string Value, double Weight)[] JunkPhones =
    [
        ("555-555-5555", 30), ("000-000-0000", 20), ("(206) 555-0143", 25), ("123-456-7890", 12),
        ("(312) 555-0178", 1.2), ("(617) 555-0110", 1), ("(415) 555-0199", 1), ("999-999-9999", 0.8), ("(212) 555-0101", 0.7),
    ];

    /// <summary>Keyboard neighbours of each key (QWERTY), for typos that hit the key next door.</summary>
    public static readonly IReadOnlyDictionary<char, string> KeyNeighbours = BuildKeyNeighbours();

    private static Dictionary<char, string> BuildKeyNeighbours()
    {
        string[] rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
        var map = new Dictionary<char, string>();
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                var near = new List<char>();
                if (c > 0) near.Add(rows[r][c - 1]);
                if (c < rows[r].Length - 1) near.Add(rows[r][c + 1]);
                // Rows are staggered: the keys above and below share the same index (and the one next to it).
                foreach (var other in new[] { r - 1, r + 1 })
                {
                    if (other < 0 || other >= rows.Length) continue;
                    if (c < rows[other].Length) near.Add(rows[other][c]);
                }
                map[rows[r][c]] = new string([.. near]);
            }
        }
        return map;
    }

    private static string[] Split(string words) =>
        words.Split([' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
