package samplegen

// countryTable lists ISO 3166-1 alpha-2 codes and English names, one
// "CODE Name" per line. The order is the popularity order the generator's
// Zipf draw uses: the first lines are the most common countries in a
// learner export, the rest follow alphabetically. Some names hold commas,
// apostrophes and accents on purpose.
const countryTable = `IN India
US United States
NG Nigeria
BR Brazil
EG Egypt
PK Pakistan
ID Indonesia
KE Kenya
MX Mexico
PH Philippines
DE Germany
GB United Kingdom
FR France
CN China
TR Türkiye
ES Spain
CO Colombia
VN Viet Nam
BD Bangladesh
ZA South Africa
GH Ghana
MA Morocco
IT Italy
CA Canada
AR Argentina
PE Peru
UA Ukraine
PL Poland
KR Korea, Republic of
JP Japan
AE United Arab Emirates
SA Saudi Arabia
IR Iran, Islamic Republic of
ET Ethiopia
TN Tunisia
CI Côte d'Ivoire
SN Senegal
RU Russian Federation
NL Netherlands
AU Australia
AD Andorra
AF Afghanistan
AG Antigua and Barbuda
AL Albania
AM Armenia
AO Angola
AT Austria
AX Åland Islands
AZ Azerbaijan
BA Bosnia and Herzegovina
BB Barbados
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BN Brunei Darussalam
BO Bolivia, Plurinational State of
BS Bahamas
BT Bhutan
BW Botswana
BY Belarus
BZ Belize
CD Congo, The Democratic Republic of the
CF Central African Republic
CG Congo
CH Switzerland
CL Chile
CM Cameroon
CR Costa Rica
CU Cuba
CV Cabo Verde
CW Curaçao
CY Cyprus
CZ Czechia
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
ER Eritrea
FI Finland
FJ Fiji
FM Micronesia, Federated States of
GA Gabon
GD Grenada
GE Georgia
GM Gambia
GN Guinea
GQ Equatorial Guinea
GR Greece
GT Guatemala
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HN Honduras
HR Croatia
HT Haiti
HU Hungary
IE Ireland
IL Israel
IQ Iraq
IS Iceland
JM Jamaica
JO Jordan
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis
KW Kuwait
KZ Kazakhstan
LA Lao People's Democratic Republic
LB Lebanon
LC Saint Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MC Monaco
MD Moldova, Republic of
ME Montenegro
MG Madagascar
MH Marshall Islands
MK North Macedonia
ML Mali
MM Myanmar
MN Mongolia
MO Macao
MR Mauritania
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MY Malaysia
MZ Mozambique
NA Namibia
NE Niger
NI Nicaragua
NO Norway
NP Nepal
NR Nauru
NZ New Zealand
OM Oman
PA Panama
PG Papua New Guinea
PR Puerto Rico
PS Palestine, State of
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Réunion
RO Romania
RS Serbia
RW Rwanda
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SI Slovenia
SK Slovakia
SL Sierra Leone
SM San Marino
SO Somalia
SR Suriname
SS South Sudan
ST São Tomé and Príncipe
SV El Salvador
SY Syrian Arab Republic
SZ Eswatini
TD Chad
TG Togo
TH Thailand
TJ Tajikistan
TL Timor-Leste
TM Turkmenistan
TO Tonga
TT Trinidad and Tobago
TV Tuvalu
TW Taiwan, Province of China
TZ Tanzania, United Republic of
UG Uganda
UY Uruguay
UZ Uzbekistan
VA Holy See (Vatican City State)
VC Saint Vincent and the Grenadines
VE Venezuela, Bolivarian Republic of
VU Vanuatu
WS Samoa
YE Yemen
ZM Zambia
ZW Zimbabwe`
