/// An example IBAN for each country Drop pays IBANs into, for the hint beside the IBAN field: a
/// person sending to Germany sees a German one. The account parts follow each country's layout
/// (the SWIFT IBAN registry's examples); the check digits are computed, so every example is valid.
public enum IBANExamples {
    /// The example for `country`, nil where Drop has none (accounts there aren't IBANs).
    public static func example(for country: CountryCode) -> IBAN? {
        bbans[country.rawValue].flatMap { try? IBAN.make(country: country, bban: $0) }
    }

    /// Country → the domestic part (BBAN) of the registry's example account.
    static let bbans: [String: String] = [
        "AT": "1904300234573201", "BE": "539007547034", "BG": "BNBG96611020345678", "HR": "10010051863000160",
        "CY": "002001280000001200527600", "EE": "2200221020145685", "FI": "12345600000785", "FR": "20041010050500013M02606",
        "DE": "370400440532013000", "GR": "01101250000000012300695", "IE": "AIBK93115212345678", "IT": "X0542811101000000123456",
        "LV": "BANK0000435195001", "LT": "1000011101001000", "LU": "0019400644750000", "MT": "MALT011000012345MTLCAST001S",
        "NL": "ABNA0417164300", "PT": "000201231234567890154", "SK": "12000000198742637541", "SI": "263300012039086",
        "ES": "21000418450200051332", "PL": "109010140000071219812874", "SE": "50000000058398257466", "DK": "00400440116243",
        "GB": "NWBK60161331926819", "PK": "SCBL0000001123456702", "SO": "1000001001000100141", "TR": "0006100519786457841326",
        "BA": "1290079401028494", "RS": "260005601001611379", "UA": "3223130000026007233566001", "BR": "00360305000010009795493C1",
    ]
}
