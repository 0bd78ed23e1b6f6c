use super::*;

fn load(text: &str) -> Result<RuleSet, Vec<RuleError>> {
    RuleSet::from_sources(&[("x.toml".into(), text.into())])
}

/// The errors of a rule file as `line: rule: message` strings.
fn problems(text: &str) -> Vec<RuleError> {
    load(text).expect_err("the file has problems")
}

const GOOD_RULE: &str = r#"
id = "x"
label = "X"
required = ["goals"]

[[category]]
id = "goals"
label = "Doelen"

[[category.rule]]
id = "goals.doel"
terms = ["doelstelling*"]
"#;

#[test]
fn bundled_rules_compile() {
    let set = RuleSet::bundled();
    assert!(!set.categories.is_empty());
    assert!(!set.verdicts.is_empty());
}

#[test]
fn a_good_file_loads_with_default_negation() {
    let set = load(GOOD_RULE).unwrap();
    assert_eq!(set.categories[0].rules[0].id, "goals.doel");
    assert_eq!(set.required, [0]);
    assert_eq!(set.negation, Negation::default());
    assert_eq!(set.categories[0].rules[0].line, 11);
}

#[test]
fn toml_syntax_error_has_its_line() {
    let err = problems("id = \"x\"\nlabel = \"X\"\nrequired = [\"goals\"\n\n[[category]]\n");
    assert_eq!(err[0].file, "x.toml");
    assert!(err[0].line.is_some(), "{err:?}");
    assert!(err[0].to_string().starts_with("x.toml:"), "{}", err[0]);
}

#[test]
fn unknown_keys_in_several_rules_are_all_reported_with_lines() {
    let text = format!(
        "{GOOD_RULE}terms_typo = [\"x\"]\n\n[[category.rule]]\nid = \"goals.b\"\n\
         terms = [\"doelen\"]\nwheight = 2\n"
    );
    let err = problems(&text);
    assert_eq!(err.len(), 2, "{err:?}");
    assert_eq!(err[0].line, Some(13));
    assert!(err[0].message.contains("terms_typo"), "{}", err[0].message);
    assert_eq!(err[1].line, Some(18));
    assert!(err[1].message.contains("wheight"), "{}", err[1].message);
}

#[test]
fn unknown_key_at_the_top_is_reported() {
    let err = problems("id = 'x'\nlabel = 'x'\nfoo = 1\n");
    assert_eq!(err[0].line, Some(3));
    assert!(err[0].message.contains("foo"), "{}", err[0].message);
}

#[test]
fn unknown_category_in_required_has_its_line() {
    let text = GOOD_RULE.replace("required = [\"goals\"]", "required = [\"goals\", \"nope\"]");
    let err = problems(&text);
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].line, Some(4));
    assert!(err[0].message.contains("unknown category `nope`"));
}

#[test]
fn bad_verdict_expressions_and_unknown_categories_in_when_have_lines() {
    let text = format!(
        "{GOOD_RULE}\n[[verdict]]\nlabel = \"a\"\nwhen = \"goals and nope\"\n\
         [[verdict]]\nlabel = \"b\"\nwhen = \"goals and (\"\n"
    );
    let err = problems(&text);
    assert_eq!(err.len(), 2, "{err:?}");
    assert_eq!(err[0].line, Some(16));
    assert!(
        err[0].message.contains("unknown category `nope`"),
        "{}",
        err[0]
    );
    assert_eq!(err[1].line, Some(19));
    assert!(err[1].message.contains("ends too early"), "{}", err[1]);
}

#[test]
fn bad_regex_has_line_and_rule() {
    let text = format!("{GOOD_RULE}regex = ['\\d{{4']\n");
    let err = problems(&text);
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].line, Some(13));
    assert_eq!(err[0].rule.as_deref(), Some("goals.doel"));
    assert!(err[0].message.contains("not a valid regular expression"));
    assert!(
        err[0]
            .to_string()
            .starts_with("x.toml:13: rule goals.doel: regex"),
        "{}",
        err[0]
    );
}

#[test]
fn regex_matching_empty_text_or_with_accents_is_refused() {
    let err = problems(&format!("{GOOD_RULE}regex = ['x*']\n"));
    assert!(err[0].message.contains("matches empty text"), "{}", err[0]);
    let err = problems(&format!("{GOOD_RULE}regex = ['geëvalueerd']\n"));
    assert!(err[0].message.contains("without accents"), "{}", err[0]);
}

#[test]
fn duplicate_rule_and_category_ids_are_reported() {
    let text = format!(
        "{GOOD_RULE}\n[[category]]\nid = \"goals\"\nlabel = \"Nog eens\"\n\n\
         [[category.rule]]\nid = \"goals.doel\"\nterms = [\"doelen\"]\n"
    );
    let err = problems(&text);
    assert_eq!(err.len(), 2, "{err:?}");
    assert_eq!(err[0].line, Some(15));
    assert!(err[0].message.contains("duplicate category id `goals`"));
    assert_eq!(err[1].line, Some(19));
    assert!(
        err[1]
            .message
            .contains("duplicate rule id (first at x.toml:11)"),
        "{}",
        err[1]
    );
}

#[test]
fn too_short_term_has_the_line_of_the_term() {
    let text = GOOD_RULE.replace(
        "terms = [\"doelstelling*\"]",
        "terms = [\n  \"doelstelling*\",\n  \"ev*\",\n]",
    );
    let err = problems(&text);
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].line, Some(14));
    assert!(
        err[0]
            .to_string()
            .starts_with("x.toml:14: rule goals.doel: term \"ev*\" is too short"),
        "{}",
        err[0]
    );
}

#[test]
fn empty_terms_are_reported() {
    let err = problems(&GOOD_RULE.replace("terms = [\"doelstelling*\"]", "terms = []"));
    assert_eq!(err[0].line, Some(11));
    assert!(err[0].message.contains("no terms"), "{}", err[0]);
    let err = problems(&GOOD_RULE.replace("\"doelstelling*\"", "\"  \""));
    assert!(err[0].message.contains("no words"), "{}", err[0]);
}

#[test]
fn weight_must_be_positive() {
    for weight in ["0", "-1", "nan"] {
        let err = problems(&format!("{GOOD_RULE}weight = {weight}\n"));
        assert_eq!(err[0].line, Some(13), "{weight}");
        assert!(err[0].message.contains("weight"), "{}", err[0]);
    }
    assert!(load(&format!("{GOOD_RULE}weight = 2\n")).is_ok());
}

#[test]
fn within_must_be_a_positive_integer_or_sentence() {
    for within in ["0", "2.5", "\"paragraph\"", "-3"] {
        let err = problems(&format!(
            "{GOOD_RULE}near = ['jaarlijks']\nwithin = {within}\n"
        ));
        assert_eq!(err.len(), 1, "{within}: {err:?}");
        assert_eq!(err[0].line, Some(14), "{within}");
        assert!(err[0].message.contains("`within` must be"), "{}", err[0]);
    }
    assert!(load(&format!("{GOOD_RULE}near = ['jaarlijks']\nwithin = 8\n")).is_ok());
    assert!(
        load(&format!(
            "{GOOD_RULE}near = ['jaarlijks']\nwithin = 'sentence'\n"
        ))
        .is_ok()
    );
    let err = problems(&format!("{GOOD_RULE}within = 8\n"));
    assert!(err[0].message.contains("no effect"), "{}", err[0]);
}

#[test]
fn near_accepts_globs_phrases_and_regular_expressions() {
    let set = load(&format!(
        "{GOOD_RULE}near = ['jaarlijks', 'elk jaar', '\\d{{4}}']\nwithin = 8\n"
    ))
    .unwrap();
    let rule = &set.categories[0].rules[0];
    assert!(matches!(rule.near[0], Probe::Pattern(_)));
    assert!(matches!(rule.near[1], Probe::Pattern(_)));
    assert!(matches!(rule.near[2], Probe::Regex(_)));
    assert_eq!(rule.within, Within::Words(8));
}

#[test]
fn bad_ids_and_keyword_categories_are_refused() {
    let err = problems(&GOOD_RULE.replace("id = \"goals\"", "id = \"Doelen\""));
    assert!(
        err.iter().any(|e| e.message.contains("lower-case")),
        "{err:?}"
    );
    let err = problems(
        &GOOD_RULE
            .replace("id = \"goals\"", "id = \"all\"")
            .replace("required = [\"goals\"]", ""),
    );
    assert!(
        err[0].message.contains("word of verdict conditions"),
        "{err:?}"
    );
}

#[test]
fn negation_settings_are_read_and_checked() {
    let set = load(&GOOD_RULE.replace(
        "required = [\"goals\"]",
        "required = [\"goals\"]\n[negation]\nbefore = ['geen', 'nog niet']\nwindow = 3",
    ))
    .unwrap();
    assert_eq!(set.negation.before, [vec!["geen"], vec!["nog", "niet"]]);
    assert_eq!(set.negation.window, 3);
    assert_eq!(set.negation.after, Negation::default().after);
    let err = problems(&GOOD_RULE.replace(
        "required = [\"goals\"]",
        "required = [\"goals\"]\n[negation]\nwindow = 0",
    ));
    assert_eq!(err[0].line, Some(6));
}

#[test]
fn every_problem_is_reported_at_once() {
    let toml = r#"
        id = "x"
        label = "x"
        required = ["nope"]
        [[category]]
        id = "goals"
        label = "Doelen"
        [[category.rule]]
        id = "kort"
        terms = ["*"]
    "#;
    let err = load(toml).unwrap_err();
    assert_eq!(err.len(), 2, "{err:?}");
}

/// `cargo test` fails when an example of a bundled rule file fails: every `rules/*.toml`
/// of the repository and the embedded default.
#[test]
fn examples_of_every_bundled_rule_file_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut sets = vec![("embedded".to_string(), RuleSet::bundled())];
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let set = RuleSet::load(&path).unwrap_or_else(|errors| {
                let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
                panic!("{} does not load:\n{}", path.display(), list.join("\n"))
            });
            sets.push((path.display().to_string(), set));
        }
    }
    assert!(sets.len() >= 2, "rules/borging.toml is there");
    let mut failures = Vec::new();
    for (name, set) in &sets {
        for report in examples::test_examples(set) {
            for problem in &report.problems {
                failures.push(format!("{name}: {}: {problem}", report.rule));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rules_test_reports_missing_noisy_and_not_negated() {
    let set = load(&format!(
        "{GOOD_RULE}match = ['De doelstellingen zijn helder.', 'Geen woord erover.']\n\
         no_match = ['Onze doelstelling is lezen.']\n\
         negated = ['Wij hebben doelstellingen.']\n"
    ))
    .unwrap();
    let reports = examples::test_examples(&set);
    let problems = &reports[0].problems;
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(
        matches!(&problems[0], examples::Problem::Missing { example } if example.starts_with("Geen"))
    );
    assert!(
        matches!(&problems[1], examples::Problem::Noisy { matched, .. } if matched == "doelstelling")
    );
    assert!(matches!(&problems[2], examples::Problem::NotNegated { .. }));
}

#[test]
fn rules_test_requires_two_matches_and_one_no_match() {
    let set = load(&format!(
        "{GOOD_RULE}match = ['De doelstellingen zijn helder.']\n"
    ))
    .unwrap();
    let reports = examples::test_examples(&set);
    assert!(matches!(
        reports[0].problems[0],
        examples::Problem::TooFewExamples {
            matches: 1,
            no_matches: 0
        }
    ));
}

#[test]
fn a_folder_is_read_in_name_order_and_may_share_categories() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), GOOD_RULE).unwrap();
    std::fs::write(
        dir.path().join("b.toml"),
        "id = 'y'\nlabel = 'Y'\n[[verdict]]\nlabel = 'ok'\nwhen = 'goals'\n",
    )
    .unwrap();
    let set = RuleSet::load(dir.path()).unwrap();
    assert_eq!(set.id, "x+y");
    assert_eq!(set.verdicts[0].when, Condition::Category(0));
}

#[test]
fn syntax_error_line_is_where_the_mistake_is() {
    let err = problems("id = \"x\"\nlabel = \"X\"\ndescription = \"open\n");
    assert_eq!(err[0].line, Some(3), "{err:?}");
}

#[test]
fn headings_is_read_at_the_top_and_per_rule_and_defaults_to_count() {
    let rule = |set: &RuleSet| set.categories[0].rules[0].headings;
    assert_eq!(rule(&load(GOOD_RULE).unwrap()), Headings::Count);
    let top = GOOD_RULE.replace("[[category]]", "headings = \"ignore\"\n[[category]]");
    assert_eq!(rule(&load(&top).unwrap()), Headings::Ignore);
    let overridden = format!("{top}headings = \"count\"\n");
    assert_eq!(rule(&load(&overridden).unwrap()), Headings::Count);
    let only_rule = format!("{GOOD_RULE}headings = \"ignore\"\n");
    assert_eq!(rule(&load(&only_rule).unwrap()), Headings::Ignore);
}

#[test]
fn a_wrong_headings_value_is_reported_with_its_line() {
    let top = GOOD_RULE.replace("[[category]]", "headings = \"skip\"\n[[category]]");
    let err = problems(&top);
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].line, Some(6));
    assert!(
        err[0].message.contains("\"count\" or \"ignore\""),
        "{}",
        err[0]
    );
    let err = problems(&format!("{GOOD_RULE}headings = \"no\"\n"));
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].line, Some(13));
    assert_eq!(err[0].rule.as_deref(), Some("goals.doel"));
    let err = problems(&format!("{GOOD_RULE}headings = true\n"));
    assert!(!err.is_empty());
}

#[test]
fn in_a_folder_each_file_sets_headings_for_its_own_rules() {
    let first = GOOD_RULE.replace("[[category]]", "headings = \"ignore\"\n[[category]]");
    let second = "id = \"y\"\nlabel = \"Y\"\n[[category]]\nid = \"evaluation\"\nlabel = \"E\"\n\
                  [[category.rule]]\nid = \"e\"\nterms = [\"evalu*\"]\n";
    let set = RuleSet::from_sources(&[("a.toml".into(), first), ("b.toml".into(), second.into())])
        .unwrap();
    assert_eq!(set.categories[0].rules[0].headings, Headings::Ignore);
    assert_eq!(set.categories[1].rules[0].headings, Headings::Count);
}

#[test]
fn a_two_letter_near_word_needs_a_small_within_or_the_sentence() {
    for within in ["4", "'sentence'"] {
        let text = format!("{GOOD_RULE}near = ['we', 'wij']\nwithin = {within}\n");
        assert!(load(&text).is_ok(), "{within}");
    }
    // The default `within` is the sentence.
    assert!(load(&format!("{GOOD_RULE}near = ['we']\n")).is_ok());
    let err = problems(&format!("{GOOD_RULE}near = ['we']\nwithin = 5\n"));
    assert_eq!(err.len(), 1, "{err:?}");
    assert_eq!(err[0].line, Some(13));
    assert!(err[0].message.contains("at most 4"), "{}", err[0]);
    // Not in `not_near`, not as a term, not with a `*`.
    assert!(!problems(&format!("{GOOD_RULE}not_near = ['we']\n")).is_empty());
    let short_term = GOOD_RULE.replace("\"doelstelling*\"", "\"we\"");
    assert!(!problems(&short_term).is_empty());
    assert!(!problems(&format!("{GOOD_RULE}near = ['w*']\n")).is_empty());
}

#[test]
fn fingerprint_changes_with_the_rules_of_its_category_only() {
    let two = |goals_terms: &str, line_padding: &str, window: usize| {
        load(&format!(
            "id = 'x'\nlabel = 'X'\nrequired = ['goals']\n[negation]\nwindow = {window}\n\
             [[category]]\nid = 'goals'\nlabel = 'Doelen'\n\
             [[category.rule]]\nid = 'goals.doel'\nterms = [{goals_terms}]\n{line_padding}\
             match = ['Dit zijn onze doelen.']\n\
             [[category]]\nid = 'evaluation'\nlabel = 'Evaluatie'\n\
             [[category.rule]]\nid = 'evaluation.e'\nterms = ['evalu*']\n"
        ))
        .unwrap()
    };
    let base = two("'doel*'", "", 6);
    let other_term = two("'doel*', 'ambitie'", "", 6);
    assert_ne!(base.fingerprint(0), other_term.fingerprint(0));
    assert_eq!(base.fingerprint(1), other_term.fingerprint(1));
    // Lines added above a category and examples do not decide hits.
    let moved = two("'doel*'", "\n\n# uitleg\n", 6);
    assert_eq!(base.fingerprint(1), moved.fingerprint(1));
    assert_eq!(base.fingerprint(0), moved.fingerprint(0));
    // Negation settings decide the hits of every category.
    let negation = two("'doel*'", "", 3);
    assert_ne!(base.fingerprint(0), negation.fingerprint(0));
    assert_ne!(base.fingerprint(1), negation.fingerprint(1));
}
