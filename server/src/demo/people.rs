//! The demo people: the seed's 冯七 and 佟一, and the others each business needs.

pub(super) struct DemoMember {
    pub(super) personal_account: &'static str,
    pub(super) name: &'static str,
    pub(super) id_number: &'static str,
    pub(super) phone: &'static str,
    pub(super) unit: (&'static str, &'static str),
    pub(super) status: &'static str,
    pub(super) balance: &'static str,
    /// bank, number, status of the linked savings card in the member's own name.
    pub(super) card: Option<(&'static str, &'static str, &'static str)>,
}

pub(super) const MEMBERS: &[DemoMember] = &[
    // Seed §4: 冯七's account is 正常, so his retirement withdrawal is refused.
    DemoMember {
        personal_account: "3934081",
        name: "冯七",
        id_number: "220102197803121510",
        phone: "13904310001",
        unit: ("333", "公司三五五五五五五五"),
        status: "normal",
        balance: "24902.73",
        card: Some(("工行", "6222020200011234567", "normal")),
    },
    // Seed §5–7: 佟一 and loan 2015000211.
    DemoMember {
        personal_account: "3816301",
        name: "佟一",
        id_number: "220102198005202134",
        phone: "13904310002",
        unit: ("1977", "公司六七七七"),
        status: "normal",
        balance: "35218.60",
        card: Some(("建行", "6217001234561716", "normal")),
    },
    // A sealed account of a man over 60 with a card: the withdrawal succeeds.
    DemoMember {
        personal_account: "4102201",
        name: "王五",
        id_number: "220102195504183173",
        phone: "13904310003",
        unit: ("2001", "公司八八八八"),
        status: "sealed",
        balance: "86432.15",
        card: Some(("建行", "6217001234569876", "normal")),
    },
    // A woman of 56 still 正常: refused (account not sealed).
    DemoMember {
        personal_account: "4102202",
        name: "李梅",
        id_number: "220102196106154224",
        phone: "13904310004",
        unit: ("2001", "公司八八八八"),
        status: "normal",
        balance: "41876.32",
        card: Some(("农行", "6228480012345678123", "normal")),
    },
    // Sealed, but a man of 57: refused (age).
    DemoMember {
        personal_account: "4102203",
        name: "赵六",
        id_number: "220102196009015310",
        phone: "13904310005",
        unit: ("2001", "公司八八八八"),
        status: "sealed",
        balance: "52310.08",
        card: Some(("中行", "6216610012345678", "normal")),
    },
    // Sealed woman of 59 whose card is frozen: refused (card).
    DemoMember {
        personal_account: "4102204",
        name: "陈静",
        id_number: "22010219580211642X",
        phone: "13904310006",
        unit: ("2001", "公司八八八八"),
        status: "sealed",
        balance: "30588.40",
        card: Some(("工行", "6222020200019876543", "frozen")),
    },
    // Borrowers: 孙八 with arrears (refusals), 周九 等额本金, 吴十 a settled loan.
    DemoMember {
        personal_account: "3816302",
        name: "孙八",
        id_number: "220102198207077511",
        phone: "13904310007",
        unit: ("1977", "公司六七七七"),
        status: "normal",
        balance: "12650.00",
        card: Some(("建行", "6217001234562345", "normal")),
    },
    DemoMember {
        personal_account: "3816303",
        name: "周九",
        id_number: "220102198503108159",
        phone: "13904310008",
        unit: ("1977", "公司六七七七"),
        status: "normal",
        balance: "20480.55",
        card: Some(("交行", "6222600012345678", "normal")),
    },
    DemoMember {
        personal_account: "3816304",
        name: "吴十",
        id_number: "220102197001019194",
        phone: "13904310009",
        unit: ("1977", "公司六七七七"),
        status: "normal",
        balance: "60321.77",
        card: None,
    },
    // Two more sealed, retired men with cards, pre-registered: the withdrawal that succeeds and
    // is executed by the end-of-day run (one for each browser-test viewport).
    DemoMember {
        personal_account: "4102205",
        name: "钱二",
        id_number: "220102195403081311",
        phone: "13904310010",
        unit: ("2001", "公司八八八八"),
        status: "sealed",
        balance: "73905.26",
        card: Some(("工行", "6222020200015566", "normal")),
    },
    DemoMember {
        personal_account: "4102206",
        name: "郑三",
        id_number: "220102195611201517",
        phone: "13904310011",
        unit: ("2001", "公司八八八八"),
        status: "sealed",
        balance: "58214.90",
        card: Some(("农行", "6228480012347788", "normal")),
    },
];
