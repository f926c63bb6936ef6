package samplegen

// Word lists the vocabulary is built from. Each is one string of
// '|'-separated entries so the package keeps no mutable slices; newVocab
// splits them once per Generate call.

// nameCultures holds, per culture (separated by ';'), a flag, given names,
// '/', and family names. The flag is a word order and a weight: "G"
// writes the given name first, "F" the family name first and "FN" the
// family name first with no space (as in Chinese); the number is the
// culture's share of learners in percent.
const nameCultures = `` +
	`G15|José|María|Zoë|François|Søren|Łukasz|Ana|Renée|Jürgen|Chloé|Ines|Mateo|Björn|Élodie|Agnès|Iñaki|Noémie|Tomáš|Paweł|Zoltán` +
	`/García|Müller|Lefèvre|Wiśniewski|Kierkegård|Núñez|Dvořák|Šimić|Gonçalves|Öztürk|Çelik|Ødegaard|Ibáñez|Żuławski|Ferrández|Lindqvist;` +
	`G30|James|Mary|Robert|Patricia|Michael|Linda|David|Sarah|Chris|Emily|Daniel|Grace|Samuel|Olivia|Kevin|Aisha|Tunde|Chiamaka|Kwame|Amara` +
	`/Smith|Johnson|Williams|Brown|Okafor|Adeyemi|Mensah|Mwangi|Otieno|O'Brien|MacDonald|Taylor|Nwosu|Boateng|Kariuki|Banda;` +
	`G10|Muhammad|Fatima|Ahmed|Aisha|Omar|Layla|Youssef|Mariam|Hassan|Nour|Ali|Salma|Khaled|Huda|Tariq` +
	`/Al-Sayed|Haddad|Mansour|Khan|Rahman|Farouk|Benali|El Amrani|Hussain|Qureshi;` +
	`G5|محمد|فاطمة|أحمد|مريم|يوسف|ليلى|عمر|نور|خالد|سلمى` +
	`/العلي|حداد|منصور|الزهراء|السيد|الخطيب|عبد الله;` +
	`FN8|伟|娜|芳|敏|静|强|磊|洋|艳|杰|军|勇` +
	`/王|李|张|刘|陈|杨|黄|赵|吴|周;` +
	`F4|太郎|花子|健太|さくら|翔|陽菜|大輝|美咲` +
	`/田中|鈴木|佐藤|高橋|渡辺|伊藤|山本;` +
	`F3|민준|서연|지호|하은|도윤|지우` +
	`/김|이|박|최|정|강;` +
	`G5|Иван|Мария|Алексей|Ольга|Дмитрий|Анна|Сергей|Елена` +
	`/Петров|Иванова|Смирнов|Кузнецова|Попов|Соколова;` +
	`G3|अमित|प्रिया|राहुल|अनीता|विजय|सुनीता` +
	`/शर्मा|वर्मा|गुप्ता|सिंह|पटेल;` +
	`G12|Aarav|Priya|Rahul|Ananya|Vikram|Sneha|Arjun|Divya|Rohan|Kavya` +
	`/Sharma|Patel|Reddy|Iyer|Nair|Gupta|Singh|Mukherjee|Chowdhury;` +
	`F3|Văn An|Thị Lan|Minh Anh|Quốc Bảo|Thu Hà` +
	`/Nguyễn|Trần|Lê|Phạm|Hoàng;` +
	`G2|Νίκος|Ελένη|Γιώργος|Μαρία` +
	`/Παπαδόπουλος|Κωνσταντίνου|Γεωργίου`

// citySyllables build city names: a stem, an ending and, sometimes, a
// qualifier.
const (
	cityStems      = `Vel|Mar|San|Port|Nova|Bel|Kar|Ast|Lun|Ori|Tam|Zel|Bra|Cal|Dor|Esk|Fal|Gra|Hel|Isl|Jar|Kes|Lor|Mon|Nar|Os|Pra|Quin|Ros|Sol|Tor|Ul|Var|Wes|Yar|Zan|São|Mül|Ñan|Øst|Çan|Ål`
	cityEndings    = `ena|ford|burg|ville|polis|abad|grad|pur|stad|holm|ton|ia|ora|ikon|ado|ère|au|istan|ovo|ham|mouth|dale|gate|as|ême`
	cityQualifiers = `North|South|Upper|Lower|New|Old|Saint|Port|East|West`
	citySuffixes   = `on-Sea|Junction|Heights|City|Bay|Springs`
)

// skillBases and skillModifiers build the ~2,000 skill names.
const (
	skillBases     = `Python|SQL|Excel|Power BI|Tableau|Java|JavaScript|TypeScript|React|Node.js|Go|Rust|C++|C#|Kotlin|Swift|R|Scala|Spark|Hadoop|Kafka|Docker|Kubernetes|Terraform|AWS|Azure|GCP|Linux|Git|Statistics|Machine Learning|Deep Learning|NLP|Computer Vision|Data Visualization|Data Engineering|ETL|dbt|Airflow|Pandas|NumPy|TensorFlow|PyTorch|scikit-learn|UX Research|UI Design|Figma|Product Management|Agile|Scrum|Project Management|Public Speaking|Negotiation|Sales|Marketing|SEO|Copywriting|Accounting|Financial Modelling|Cybersecurity|Networking|Cloud Architecture|DevOps|CI/CD|Testing|QA Automation|Selenium|HTML|CSS|PHP|Laravel|Django|Flask|Spring Boot|GraphQL|REST APIs|MongoDB|PostgreSQL|MySQL|Neo4j|Redis|Elasticsearch|Blockchain|Solidity|Unity|Android|iOS|Flutter|Leadership|Teamwork|Communication|Critical Thinking|Business Analysis|Customer Success|Excel "Power Query"|Gestión de proyectos|Analyse de données|データ分析|数据分析`
	skillModifiers = `|Advanced |Applied |Intro to |Professional |Practical |Modern |Enterprise |Foundations of |Hands-on |Certified `
	skillSuffixes  = `| for Data| for Finance| 2| 3| in Practice| Fundamentals| at Scale| (Beginner)| (Expert)| for Healthcare| Essentials`
)

// companyWords build the ~20,000 company names.
const (
	companyFirst  = `Acme|Northwind|Blue River|Globex|Initech|Umbrella|Stark|Wayne|Hooli|Pied Piper|Vandelay|Soylent|Tyrell|Cyberdyne|Gringotts|Oceanic|Massive|Aperture|Black Mesa|Monarch|Sirius|Zenith|Apex|Summit|Pinnacle|Horizon|Evergreen|Silverline|Redwood|Ironclad|Lumen|Nimbus|Quantum|Vertex|Nova|Orbit|Polaris|Atlas|Titan|Helios|Kestrel|Falcon|Osprey|Sahara|Kilimanjaro|Lagos|Nairobi|Andes|Amazonia|Baobab|Ubuntu|Safari|Zambezi|Sakura|Fuji|Lotus|Jade|Ganges|Himalaya|Bosphorus|Danube|Rhine|Nordic|Fjord|Aurora|Borealis|Coral|Lagoon|Mesa|Canyon|Prairie|Tundra|Savanna|Delta|Harbor|Beacon|Lighthouse|Anchor|Compass|Meridian|Equinox|Solstice|Eclipse|Comet|Nebula|Pulsar|Quasar|Photon|Ion|Vector|Matrix|Tensor|Cipher|Kernel|Pixel|Byte|Logic|Signal|Fusion|Catalyst|Element|Carbon|Cobalt|Nickel|Copper|Granite|Marble|Onyx|Opal|Ruby|Sapphire|Emerald|Topaz|Amber|Indigo|Crimson|Scarlet|Azure|Cerulean|Saffron|Olive|Maple|Cedar|Willow|Aspen|Birch|Oak|Pine|Elm|Spruce|Cypress|Juniper|Sequoia|Bamboo|Orchid|Magnolia|Jasmine|Hibiscus|Acacia|Tamarind|Mango|Papaya|Cocoa|Coffee|Vanilla|Ginger|Pepper|Cinnamon|Nutmeg|Clove|Cardamom|Mint|Basil|Sage|Thyme|Rosemary|Lavender|Élan|Süd|Øresund|Más Allá|Çınar|Zürich|Kraków|Médéa|Lumière|Niño|Ōsaka|Yaoundé|Bogotá|Córdoba|Málaga|Açaí|Ñandú|Łódź|Brno|Tallinn|Riga|Vilnius|Tbilisi|Yerevan|Baku|Almaty|Tashkent|Dhaka|Karachi|Lahore|Colombo|Kathmandu|Thimphu|Hanoi|Manila|Jakarta|Kigali|Accra|Dakar|Abuja|Luanda|Maputo|Harare|Lusaka|Gaborone|Windhoek`
	companySecond = `Analytics|Labs|Systems|Solutions|Technologies|Consulting|Partners|Digital|Software|Networks|Logistics|Health|Bank|Capital|Insurance|Energy|Foods|Retail|Media|Studios|Robotics|AI|Data|Cloud|Security|Telecom|Mobility|Ventures|Group|Holdings|Industries|Manufacturing|Pharma|Biotech|Education|Academy|Learning|Foundation|Agency|Works|Collective|Co-op|Exchange|Markets|Payments|Fintech|Travel|Airlines|Motors|Textiles|Agro|Farms|Mining|Construction|Realty|Properties|Hospitality|Hotels|Kitchens|Brewing|Pharmacy|Clinics|Diagnostics|Devices|Electronics|Semiconductors|Optics|Aerospace|Marine|Shipping|Freight|Couriers|Express|Supply|Trading|Imports|Exports|Games|Sports|Fitness|Fashion|Design|Architecture|Engineering|Research|Institute|Services|Outsourcing|Staffing|Talent|People|Legal|Advisory|Audit|Tax|Wealth|Credit|Lending|Microfinance|Telehealth|Genomics|Materials`
	companyForms  = `| Ltd| GmbH|, Inc.| S.A.| SARL| LLC| Pvt Ltd| PLC| AG| B.V.| K.K.| S.A.S.| Pty Ltd| AB| Oy| "Global"`
)

// Job titles, program names and state vocabularies.
const (
	jobTitles     = `Data Analyst|Data Scientist|Software Engineer|Backend Developer|Frontend Developer|Full-Stack Developer|DevOps Engineer|Cloud Engineer|ML Engineer|Product Manager|Project Manager|Business Analyst|QA Engineer|UX Designer|UI Designer|Sales Associate|Marketing Manager|Accountant|Financial Analyst|Customer Success Manager|Support Specialist|Teaching Assistant|Intern|Junior Developer|Senior Engineer|Tech Lead|Engineering Manager|CTO|Head of "Growth"|Développeuse logiciel|Ingeniera de datos|エンジニア|数据工程师|Research Assistant|Operations Coordinator|HR Generalist|Recruiter|Security Analyst|Network Administrator|Consultant`
	programNames  = `Data Analytics|Data Science|Software Engineering|Web Development|Cloud Computing|Cybersecurity|UX/UI Design|Product Management|Digital Marketing|AI Career Essentials|Virtual Assistant|Salesforce Administration|Mobile Development|DevOps|Machine Learning|Business Intelligence|Financial Analysis|Project Management|Entrepreneurship|Professional Foundations`
	programLevels = `| Bootcamp| Fast Track| (Part-time)|, Advanced| Foundations`
	learnStatus   = `enrolled|active|on_hold|completed|graduated|withdrawn|deferred`
	workStatus    = `employed|self_employed|seeking|not_seeking|studying|freelancing`
	tracks        = `data|software|cloud|design|marketing|security|product|ai`
	tagWords      = `remote|mentor|scholarship|women-in-tech|returner|refugee|first-gen|evening|weekend|fast`
	sectors       = `tech|finance|health|education|retail|public|ngo|manufacturing|logistics`
	skillLevels   = `beginner|intermediate|advanced|expert`
	genders       = `female|male|F|M|non-binary|Female|Male|prefer not to say|other`
)
