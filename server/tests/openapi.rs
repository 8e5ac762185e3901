//! The OpenAPI document at /api/openapi.json against the router it describes: every route of the
//! API is in it (a route can only be added with its description: the source may add none
//! otherwise), every documented operation answers as documented, every body type is described,
//! and every refusal is an `ApiError`.

mod common;

use common::citizen::Citizen;
use common::Store;
use serde_json::Value;
use std::collections::BTreeSet;

/// Where an undocumented route could be added (`.route(`, `.nest(` …), and the places allowed to:
/// the API nested under /api, the app's files, the insecure test hooks and the metrics listener.
#[test]
fn no_route_is_added_without_its_description() {
    // (file, function, the line) — exactly these, nothing else.
    let allowed = [
        (
            "src/http.rs",
            "router",
            "let app = Router::new().nest(\"/api\", api);",
        ),
        (
            "src/metrics.rs",
            "router",
            ".route(\"/metrics\", get(scrape))",
        ),
        // `account::test_routes`: 404 unless --insecure-test-hooks, not part of the API.
        (
            "src/account/mod.rs",
            "test_routes",
            ".route(\"/test/sms-outbox/{phone}\", get(test_outbox))",
        ),
        (
            "src/account/mod.rs",
            "test_routes",
            ".route(\"/test/twin\", post(crate::demo::twin::twin))",
        ),
        (
            "src/account/mod.rs",
            "test_routes",
            ".route(\"/test/deposit\", post(crate::demo::twin::deposit))",
        ),
    ];
    let mut offenders = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(root).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let mut function = String::new();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim();
                if let Some(at) = code.find("fn ") {
                    let rest = &code[at + 3..];
                    if code[..at].split_whitespace().all(|w| {
                        matches!(
                            w,
                            "pub" | "async" | "const" | "unsafe" | "pub(crate)" | "pub(super)"
                        )
                    }) {
                        function = rest.split(['(', '<']).next().unwrap_or_default().to_owned();
                    }
                }
                let adds_route = [".route(", ".route_service(", ".nest(", ".nest_service("]
                    .iter()
                    .any(|call| code.contains(call));
                if adds_route
                    && !allowed.iter().any(|(file, f, allowed_line)| {
                        *file == relative && *f == function && *allowed_line == code
                    })
                {
                    offenders.push(format!("{relative}:{} (in {function}): {code}", n + 1));
                }
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "routes added outside `routes!(…)` (so missing from the OpenAPI document):\n{}",
        offenders.join("\n")
    );
}

/// The schema a `$ref` names.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
            let target = &doc["components"]["schemas"][name];
            assert!(!target.is_null(), "$ref {reference} has no schema");
            target
        }
        None => schema,
    }
}

/// Every `$ref` anywhere in `value`.
fn references(value: &Value, found: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                found.insert(reference.clone());
            }
            map.values().for_each(|v| references(v, found));
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, found)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_describes_the_api_the_router_serves() {
    let app = common::app_with_hooks(Store::Sqlite).await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let doc: Value = response.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );

    // Every reference resolves: no body type is missing from the components.
    let mut refs = BTreeSet::new();
    references(&doc, &mut refs);
    for reference in &refs {
        resolve(&doc, &serde_json::json!({ "$ref": reference }));
    }
    for name in [
        "ApiError",
        "LoanList",
        "LoanDetail",
        "TrialContext",
        "PrepaymentSubmission",
        "ApplicationView",
        "FiguresChanged",
        "Progress",
        "WithdrawalHome",
        "NewMaterial",
        "Policy",
        "Calendar",
        "FundAccount",
        "EntryList",
        "StatementView",
        "HousingSubmission",
        "HousingFacts",
        "OffsetView",
        "OffsetRequest",
    ] {
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} is not described"
        );
    }

    let paths = doc["paths"].as_object().unwrap();
    let mut operations = Vec::new();
    for (path, item) in paths {
        assert!(path.starts_with("/api/"), "{path}");
        for (method, operation) in item.as_object().unwrap() {
            operations.push((path.clone(), method.clone(), operation.clone()));
        }
    }
    // The hall's API: 35 operations (the count changes only with a route).
    assert_eq!(
        operations.len(),
        35,
        "{:?}",
        paths.keys().collect::<Vec<_>>()
    );

    let citizen = Citizen::new(&app);
    for (path, method, operation) in &operations {
        let responses = operation["responses"].as_object().unwrap();
        // A success with a body, and every refusal documented as an ApiError.
        assert!(responses.contains_key("200"), "{method} {path}: no 200");
        for (status, response) in responses {
            if status.starts_with('4') || status == "500" {
                let schema = &response["content"]["application/json"]["schema"];
                let refusal = schema["$ref"].as_str().unwrap_or_default();
                assert!(
                    refusal.ends_with("/ApiError") || refusal.ends_with("/FiguresChanged"),
                    "{method} {path} {status}: not an ApiError: {response}"
                );
            }
        }
        if method == "post" && operation.get("requestBody").is_some() {
            let body = &operation["requestBody"]["content"]["application/json"]["schema"];
            assert!(body["$ref"].is_string(), "{method} {path}: body {body}");
        }

        // The router answers the operation, anonymously, with one of its documented statuses
        // (an undocumented route would fall to the API's 404, a wrong method to 405).
        let url = app.url(
            &path
                .replace("{borrower_no}", "2015000211")
                .replace("{application_no}", "2018010500000001")
                .replace("{year}", "2017"),
        );
        let request = match method.as_str() {
            "get" => citizen.http.get(&url),
            "post" => citizen
                .http
                .post(&url)
                .header("x-hpf-csrf", "1")
                .json(&serde_json::json!({})),
            other => panic!("{other} {path}: the hall has GET and POST only"),
        };
        let status = request.send().await.unwrap().status().as_u16().to_string();
        assert!(
            responses.contains_key(&status),
            "{method} {path} answered {status}, which its description does not list"
        );
    }

    // Logged in, each GET without parameters answers 200 with what its schema requires.
    let (status, body) = citizen.login("13904310008", "Demo2018!").await;
    assert_eq!(status, 200, "{body}");
    for (path, method, operation) in &operations {
        if method != "get" || path.contains('{') || path == "/api/health/ready" {
            continue;
        }
        let (status, body) = citizen.get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        let schema = resolve(
            &doc,
            &operation["responses"]["200"]["content"]["application/json"]["schema"],
        );
        let Some(required) = schema["required"].as_array() else {
            continue;
        };
        for field in required {
            let field = field.as_str().unwrap();
            assert!(
                body.get(field).is_some(),
                "{path}: the answer has no {field} that its schema requires: {body}"
            );
        }
    }
}
