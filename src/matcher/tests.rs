use super::*;

/// A rule set from the rule lines of one `goals` and one `evaluation` category.
fn rules(goals: &str, evaluation: &str) -> RuleSet {
    let text = format!(
        "id = 't'\nlabel = 'T'\nrequired = ['goals', 'evaluation']\n\
         [[category]]\nid = 'goals'\nlabel = 'Doelen'\n{goals}\n\
         [[category]]\nid = 'evaluation'\nlabel = 'Evaluatie'\n{evaluation}\n"
    );
    RuleSet::from_sources(&[("t.toml".into(), text)]).unwrap_or_else(|e| panic!("{e:?}"))
}

/// One rule in `goals` with these terms (and optional extra lines).
fn one(terms: &str, extra: &str) -> RuleSet {
    rules(
        &format!("[[category.rule]]\nid = 'g'\nterms = [{terms}]\n{extra}"),
        "",
    )
}

fn page(text: &str) -> Page {
    Page {
        number: 3,
        label: None,
        text: text.into(),
        ocr: false,
    }
}

fn found(set: &RuleSet, text: &str) -> Vec<Hit> {
    hits(set, &[page(text)])
}

/// The matched words of the hits, with `!` before negated ones.
fn matched(set: &RuleSet, text: &str) -> Vec<String> {
    found(set, text)
        .into_iter()
        .map(|h| format!("{}{}", if h.negated { "!" } else { "" }, h.matched))
        .collect()
}

#[test]
fn glob_matches_inflections_and_reports_original_text() {
    let set = one("'evalu*', 'geevalueerd'", "");
    let text = "Intro. Het plan wordt jaarlijks Geëvalueerd door het team. Slot.";
    let hits = found(&set, text);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hit = &hits[0];
    assert_eq!(hit.matched, "Geëvalueerd");
    assert_eq!(hit.page, 3);
    assert_eq!(
        hit.sentence,
        "Het plan wordt jaarlijks Geëvalueerd door het team."
    );
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(
        chars[hit.start..hit.end].iter().collect::<String>(),
        "Geëvalueerd"
    );
    assert_eq!(hit.sentence_start, 7);
}

#[test]
fn folding_makes_accents_case_and_ligatures_equal() {
    let set = one("'coördinator*', 'financiële'", "");
    assert_eq!(
        matched(&set, "De COORDINATOR en de ﬁnanciele en Financiële zaken."),
        ["COORDINATOR", "ﬁnanciele", "Financiële"]
    );
}

#[test]
fn prefix_suffix_and_infix_globs_match_whole_words() {
    let set = one("'*beleidsplan', 'evalu*', '*verantwoordelijk*'", "");
    assert_eq!(
        matched(
            &set,
            "Het cultuurbeleidsplan, de evaluatiemomenten en de eindverantwoordelijke; \
             niet de herevaluatie of beleidsplannen."
        ),
        [
            "cultuurbeleidsplan",
            "evaluatiemomenten",
            "eindverantwoordelijke"
        ]
    );
}

#[test]
fn a_word_without_wildcard_matches_only_whole_words() {
    let set = one("'doel'", "");
    assert_eq!(
        matched(&set, "Het doel, de doelen, een schooldoel."),
        ["doel"]
    );
}

#[test]
fn phrases_match_consecutive_words_across_line_breaks_but_not_punctuation() {
    let set = one("'plan do check act', 'na afloop'", "");
    assert_eq!(
        matched(
            &set,
            "Wij volgen Plan Do\nCheck Act. Na  afloop stoppen we."
        ),
        ["Plan Do\nCheck Act", "Na  afloop"]
    );
    assert!(matched(&set, "Het plan. Do check act.").is_empty());
}

#[test]
fn hyphen_space_and_nothing_in_compounds_match_alike() {
    let set = one("'PDCA-cyclus'", "");
    assert_eq!(
        matched(&set, "De PDCA-cyclus, de PDCA cyclus en de PDCAcyclus."),
        ["PDCA-cyclus", "PDCA cyclus", "PDCAcyclus"]
    );
    let set = one("'evaluatiemoment*'", "");
    assert_eq!(
        matched(&set, "Elk evaluatie-moment telt."),
        ["evaluatie-moment"]
    );
    let set = one("'evaluatie moment'", "");
    assert_eq!(matched(&set, "Het evaluatiemoment."), ["evaluatiemoment"]);
}

#[test]
fn a_hyphenated_compound_also_matches_its_parts() {
    let set = one("'cyclus'", "");
    assert_eq!(matched(&set, "De PDCA-cyclus."), ["cyclus"]);
}

#[test]
fn words_broken_at_line_ends_are_rejoined_before_matching() {
    let set = one("'evaluatie'", "");
    assert_eq!(matched(&set, "De evalu-\natie volgt."), ["evalu-\natie"]);
    let set = one("'rekenonderwijs', 'taal'", "");
    assert_eq!(
        matched(&set, "Het taal-\nen rekenonderwijs."),
        ["taal", "rekenonderwijs"]
    );
    let set = one("'noord brabant'", "");
    assert_eq!(matched(&set, "In Noord-\nBrabant."), ["Noord-\nBrabant"]);
}

#[test]
fn apostrophes_inside_words_are_part_of_them() {
    let set = one("\"ICC'er*\"", "");
    assert_eq!(
        matched(&set, "De ICC'er en de ICC’ers, niet de ICC."),
        ["ICC'er", "ICC’ers"]
    );
}

#[test]
fn declared_regular_expressions_match_folded_text() {
    let set = one(
        "'doelen'",
        "regex = ['\\b\\d{1,3}\\s?%', 'schooljaar \\d{4}-\\d{4}']",
    );
    assert_eq!(
        matched(&set, "Doelen: 80 % leest in Schooljaar 2024–2025 beter."),
        ["Doelen", "80 %", "Schooljaar 2024–2025"]
    );
}

#[test]
fn near_within_words_needs_the_other_group_close_by() {
    let set = one(
        "'evalu*'",
        "near = ['jaarlijks', 'elk jaar', '\\d{4}']\nwithin = 3",
    );
    assert_eq!(matched(&set, "We evalueren jaarlijks."), ["evalueren"]);
    assert_eq!(matched(&set, "Elk jaar gaan we evalueren."), ["evalueren"]);
    assert_eq!(matched(&set, "In 2025 evalueren we."), ["evalueren"]);
    assert!(matched(&set, "We evalueren het plan met iedereen jaarlijks.").is_empty());
    assert!(matched(&set, "We evalueren.").is_empty());
}

#[test]
fn near_within_sentence_stops_at_the_sentence_end() {
    let set = one(
        "'*verantwoordelijk*'",
        "near = ['directie', \"icc'er*\"]\nwithin = 'sentence'",
    );
    assert_eq!(
        matched(
            &set,
            "De directie is samen met het hele team en de ouders verantwoordelijk."
        ),
        ["verantwoordelijk"]
    );
    assert!(matched(&set, "Dat doet de directie. Iedereen is verantwoordelijk.").is_empty());
}

#[test]
fn a_near_entry_counts_only_in_reach_of_a_term_of_its_own_rule() {
    let set = rules(
        "[[category.rule]]\nid = 'a'\nterms = ['doel*']\nnear = ['jaarlijks']\nwithin = 2\n\
         [[category.rule]]\nid = 'b'\nterms = ['plan']\nnear = ['jaarlijks']\nwithin = 'sentence'",
        "[[category.rule]]\nid = 'c'\nterms = ['evalu*']\nnear = ['elk jaar']\nwithin = 1",
    );
    // `jaarlijks` is in reach of the term of `b`, not of `a`.
    assert_eq!(
        matched(
            &set,
            "Onze doelen staan vast. Het plan wordt jaarlijks bijgesteld."
        ),
        ["plan"]
    );
    // The phrase is found through `jaar` (`elk` is too common), a word beyond the reach of
    // `within = 1`; the phrase starts within it.
    assert_eq!(matched(&set, "We evalueren elk jaar."), ["evalueren"]);
    assert!(matched(&set, "We evalueren het werk elk jaar.").is_empty());
}

#[test]
fn not_near_removes_hits_close_to_an_exclusion() {
    let set = one("'evaluatie*'", "not_near = ['leerling*']\nwithin = 4");
    assert!(matched(&set, "De evaluatie van de leerlingen.").is_empty());
    assert_eq!(
        matched(
            &set,
            "De evaluatie van het plan door het team met de leerlingen."
        ),
        ["evaluatie"]
    );
}

#[test]
fn negation_trigger_before_flags_the_hit() {
    let set = one("'evalu*', 'geevalueerd', 'doelstelling*'", "");
    assert_eq!(
        matched(&set, "Er wordt niet geëvalueerd."),
        ["!geëvalueerd"]
    );
    assert_eq!(
        matched(&set, "Dit gebeurt zonder doelstellingen."),
        ["!doelstellingen"]
    );
    assert_eq!(
        matched(&set, "Er is nog niet geëvalueerd."),
        ["!geëvalueerd"]
    );
}

#[test]
fn negation_trigger_after_flags_the_hit() {
    let set = one("'evaluatie'", "");
    assert_eq!(matched(&set, "Een evaluatie ontbreekt."), ["!evaluatie"]);
    assert_eq!(matched(&set, "Een evaluatie is er niet."), ["!evaluatie"]);
}

#[test]
fn negation_reaches_only_its_window() {
    let set = one("'evaluatie'", "");
    assert_eq!(
        matched(
            &set,
            "Er is niet veel tijd voor een goede en grondige evaluatie."
        ),
        ["evaluatie"],
        "`en` ends the scope"
    );
    assert_eq!(
        matched(
            &set,
            "Wij hebben geen tijd gehad voor de jaarlijkse uitgebreide evaluatie."
        ),
        ["evaluatie"],
        "seven words away"
    );
}

#[test]
fn pseudo_triggers_do_not_negate() {
    let set = one("'doel', 'evaluatie'", "");
    assert_eq!(matched(&set, "Lezen is geen doel op zich."), ["doel"]);
    assert_eq!(
        matched(&set, "Niet alleen de evaluatie maar ook de doelen."),
        ["evaluatie"]
    );
    assert_eq!(matched(&set, "Wel of niet een evaluatie."), ["evaluatie"]);
}

#[test]
fn scope_ends_at_maar_and_at_a_comma() {
    let set = one("'evaluatie'", "");
    assert_eq!(
        matched(
            &set,
            "Er is geen subsidie meer, maar de evaluatie gaat door."
        ),
        ["evaluatie"]
    );
    assert_eq!(
        matched(&set, "Het was niet makkelijk maar evaluatie volgt."),
        ["evaluatie"]
    );
    assert_eq!(matched(&set, "Niet nu, evaluatie volgt."), ["evaluatie"]);
    assert_eq!(matched(&set, "Evaluatie, ontbreekt dat?"), ["Evaluatie"]);
}

#[test]
fn of_does_not_end_a_negation_scope() {
    // `of` mostly joins what a negation covers ("geen doelen of evaluatie"); that it also
    // opens an embedded question ("niet geëvalueerd of de doelen zijn bereikt") is the
    // known cost: the goals there stay negated too.
    let set = rules(
        "[[category.rule]]\nid = 'g'\nterms = ['doelen']",
        "[[category.rule]]\nid = 'e'\nterms = ['evaluatie', 'geevalueerd']",
    );
    assert_eq!(
        matched(&set, "Er zijn geen doelen of evaluatie."),
        ["!doelen", "!evaluatie"]
    );
    assert_eq!(
        matched(&set, "Er wordt niet geëvalueerd of de doelen zijn bereikt."),
        ["!geëvalueerd", "!doelen"]
    );
}

#[test]
fn negated_hits_are_kept_but_not_counted() {
    let set = one("'evalu*', 'geevalueerd'", "");
    let hits = found(&set, "Er wordt niet geëvalueerd.");
    assert_eq!(hits.len(), 1);
    let score = crate::score::score(&set, &hits);
    assert_eq!(score.categories[0].hits, 0);
    assert_eq!(score.missing, ["goals", "evaluation"]);
}

#[test]
fn overlapping_hits_in_a_category_count_once_longest_span() {
    let set = rules(
        "[[category.rule]]\nid = 'a'\nterms = ['plan*']\n\
         [[category.rule]]\nid = 'b'\nterms = ['plan do check act']\n\
         [[category.rule]]\nid = 'c'\nterms = ['check']",
        "[[category.rule]]\nid = 'd'\nterms = ['check']",
    );
    let hits = found(&set, "Wij werken met plan do check act.");
    let summary: Vec<(usize, &str, &str)> = hits
        .iter()
        .map(|h| (h.category, &*h.rule, h.matched.as_str()))
        .collect();
    // The phrase wins in goals; `check` still counts once in evaluation.
    assert_eq!(summary, [(0, "b", "plan do check act"), (1, "d", "check")]);
}

#[test]
fn equal_spans_go_to_the_rule_declared_first() {
    let set = rules(
        "[[category.rule]]\nid = 'first'\nterms = ['doel*']\n\
         [[category.rule]]\nid = 'second'\nterms = ['doelen']",
        "",
    );
    let hits = found(&set, "Onze doelen.");
    assert_eq!(hits.len(), 1);
    assert_eq!(&*hits[0].rule, "first");
}

/// Counts must not depend on the order of the rules: every permutation of the rules
/// inside each category gives the same counts and the same spans.
#[test]
fn counts_do_not_depend_on_rule_order() {
    let set = rules(
        "[[category.rule]]\nid = 'a'\nterms = ['doel*']\n\
         [[category.rule]]\nid = 'b'\nterms = ['smart doel*', 'doelen']\n\
         [[category.rule]]\nid = 'c'\nterms = ['*doelen', 'meetbare doelen']\n\
         [[category.rule]]\nid = 'd'\nterms = ['stelling*']",
        "[[category.rule]]\nid = 'e'\nterms = ['evalu*']\n\
         [[category.rule]]\nid = 'f'\nterms = ['evaluatiemoment*', 'moment*']\n\
         [[category.rule]]\nid = 'g'\nterms = ['doelen']",
    );
    let text = "Onze SMART doelen en meetbare doelen, de leesdoelen, de doelstellingen. \
                Elk evaluatie-moment en de evaluatiemomenten; doelen evalueren.";
    let summary = |set: &RuleSet| {
        let hits = found(set, text);
        let score = crate::score::score(set, &hits);
        let mut spans: Vec<(usize, usize, usize)> =
            hits.iter().map(|h| (h.category, h.start, h.end)).collect();
        spans.sort();
        (
            score.categories.iter().map(|c| c.hits).collect::<Vec<_>>(),
            spans,
        )
    };
    let expected = summary(&set);
    assert!(expected.0[0] >= 4 && expected.0[1] >= 3, "{expected:?}");
    for goals in permutations(set.categories[0].rules.len()) {
        for evaluation in permutations(set.categories[1].rules.len()) {
            let mut categories = set.categories.clone();
            categories[0].rules = goals
                .iter()
                .map(|&i| set.categories[0].rules[i].clone())
                .collect();
            categories[1].rules = evaluation
                .iter()
                .map(|&i| set.categories[1].rules[i].clone())
                .collect();
            let shuffled = set.with_categories(categories);
            assert_eq!(
                summary(&shuffled),
                expected,
                "order {goals:?} {evaluation:?}"
            );
        }
    }
}

/// All orders of `0..n` (Heap's algorithm).
fn permutations(n: usize) -> Vec<Vec<usize>> {
    fn heap(k: usize, items: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k <= 1 {
            out.push(items.clone());
            return;
        }
        for i in 0..k {
            heap(k - 1, items, out);
            let j = if k.is_multiple_of(2) { i } else { 0 };
            items.swap(j, k - 1);
        }
    }
    let mut out = Vec::new();
    heap(n, &mut (0..n).collect(), &mut out);
    out
}

#[test]
fn strongest_sentence_has_the_highest_summed_weight() {
    let set = rules(
        "[[category.rule]]\nid = 'a'\nterms = ['doelen']\n\
         [[category.rule]]\nid = 'b'\nterms = ['smart']\nweight = 4",
        "",
    );
    let hits = found(&set, "Doelen en doelen en doelen. De aanpak is SMART.");
    let score = crate::score::score(&set, &hits);
    assert_eq!(score.categories[0].hits, 4);
    assert_eq!(score.categories[0].evidence, "p. 3: De aanpak is SMART.");
}

#[test]
fn verdict_and_missing_follow_counted_evidence() {
    let text = "id = 't'\nlabel = 'T'\nrequired = ['goals', 'evaluation']\n\
         [[category]]\nid = 'goals'\nlabel = 'D'\n[[category.rule]]\nid = 'g'\nterms = ['doelen']\n\
         [[category]]\nid = 'evaluation'\nlabel = 'E'\n[[category.rule]]\nid = 'e'\nterms = ['evaluatie']\n\
         [[verdict]]\nlabel = 'borging'\nwhen = 'all'\n\
         [[verdict]]\nlabel = 'deels'\nwhen = '1 of (goals, evaluation)'\n\
         [[verdict]]\nlabel = 'niets'\nwhen = 'always'\n";
    let set = RuleSet::from_sources(&[("t.toml".into(), text.into())]).unwrap();
    let verdict = |t: &str| {
        let s = crate::score::score(&set, &found(&set, t));
        (s.verdict.unwrap_or_default(), s.missing)
    };
    assert_eq!(verdict("Doelen en evaluatie."), ("borging".into(), vec![]));
    assert_eq!(
        verdict("Doelen, er is geen evaluatie."),
        ("deels".into(), vec!["evaluation".to_string()])
    );
    assert_eq!(verdict("Niets.").0, "niets");
}

#[test]
fn very_long_sentences_are_cut_around_the_hit() {
    let set = one("'evaluatie'", "");
    let text = format!("{} evaluatie {}", "woord ".repeat(40), "woord ".repeat(40));
    let long = text.replace("woord", "woordenboekje");
    let hits = found(&set, &long);
    assert!(hits[0].sentence.len() < 700, "{}", hits[0].sentence.len());
    assert!(hits[0].sentence.contains("evaluatie"));
}

#[test]
fn hostile_text_does_not_panic() {
    let set = RuleSet::bundled();
    for text in [
        "",
        "-",
        "-\n",
        "a-\n",
        "\u{ad}\n\u{ad}",
        "'''",
        "...",
        "evalu-\n",
        "niet",
        "ﬁ-\nﬂ",
        "\u{301}\u{301}doel",
        "doel\u{0}doel",
    ] {
        let _ = found(&set, text);
    }
}

#[test]
fn a_regex_is_triggered_by_its_starting_literals_else_by_its_ending_ones() {
    let trigger = |source: &str| {
        let (kind, mut literals) = trigger_literals(source);
        literals.sort();
        let literals: Vec<String> = literals
            .into_iter()
            .map(|l| String::from_utf8(l).unwrap())
            .collect();
        (kind, literals)
    };
    let strings = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // Lower case only, and no long s or Kelvin sign: folded text has none.
    assert_eq!(crate::normalize::fold_str("\u{17f}\u{212a}AZ"), "skaz");
    assert_eq!(
        trigger(r"(?-u:\b)bij\s*($|[.,])"),
        (Trigger::Starts, strings(&["bij"]))
    );
    assert_eq!(
        trigger(r"\b20[0-4]\d\b"),
        (
            Trigger::Starts,
            strings(&["200", "201", "202", "203", "204"])
        )
    );
    assert_eq!(
        trigger(r"\b[12][fs]\b"),
        (Trigger::Starts, strings(&["1f", "1s", "2f", "2s"]))
    );
    assert_eq!(
        trigger(r"(?-i:Door)|door wie|Ook"),
        (Trigger::Starts, strings(&["door wie", "ook"]))
    );
    // Long literals are cut short: still where every match starts.
    assert_eq!(
        trigger(r"\bsuccescriteriumformulering\b"),
        (Trigger::Starts, strings(&["succescriteriumf"]))
    );
    // No starting literal: what every match ends with.
    assert_eq!(
        trigger(r"(?-u:\b)\d{1,3}([.,]\d+)?\s?(%|procent)"),
        (Trigger::Contains, strings(&["%", "procent"]))
    );
    assert_eq!(
        trigger(r"[a-z]+\s*(\.{4,}|_{3,})"),
        (Trigger::Contains, strings(&["....", "___"]))
    );
    // Neither.
    assert_eq!(trigger(r"\d+"), (Trigger::None, strings(&[])));
    assert_eq!(trigger(r"\d+(x|\s)"), (Trigger::None, strings(&[])));
    assert_eq!(trigger(r"\bx?"), (Trigger::None, strings(&[])));
}

#[test]
fn a_triggered_regex_finds_exactly_what_find_iter_finds() {
    let sources = [
        // Starting literals, one or several, overlapping one another.
        r"\bbij[ \t]*($|[.,;:!?)]|waar nodig|indien nodig)",
        r"\b20[0-4]\d\b",
        r"\b[12][fs]\b",
        r"(ab|a)b*",
        r"\bd(oor|e)\b",
        r"a\.b|a",
        r"(?m)bij$",
        r"succescriteriumformulering|succes",
        // Matches that hold further places of their literals.
        r"door( de| door)*",
        r"20\d+",
        // A word boundary before a literal that starts with no word character.
        r"\b[.%]x",
        // Ending literals.
        r"\b\d{1,3}([.,]\d+)?\s?(%|procent)",
        r"[a-z]+ (nodig|de)\b",
        // None.
        r"\d+",
        r"\b\w{2}\b",
    ];
    let pieces = [
        "bij",
        " ",
        "\t",
        ".",
        ",",
        "door",
        "de",
        "200",
        "20",
        "2",
        "4",
        "1",
        "f",
        "s",
        "%",
        "procent",
        "a",
        "ab",
        "b",
        "waar nodig",
        "\n",
        "€",
        "é",
        "x",
        "succes",
        "criteriumformulering",
    ];
    let mut state = 11u64;
    let mut kinds = Vec::new();
    for source in sources {
        let source = source.replace(r"\b", r"(?-u:\b)");
        let regex = regex::RegexBuilder::new(&source)
            .case_insensitive(true)
            .build()
            .unwrap();
        let mut list = Vec::new();
        add_regex(
            &mut list,
            &regex,
            Owner {
                rule: 0,
                role: Role::Term,
                item: 0,
            },
        )
        .unwrap();
        let shared = &list[0];
        kinds.push(shared.trigger);
        for _ in 0..400 {
            let mut next = || {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) as usize
            };
            let mut text = String::new();
            for _ in 0..next() % 60 {
                text.push_str(pieces[next() % pieces.len()]);
            }
            // Every place of one of its literals, as the automaton reports them, sorted.
            let mut places: Vec<Place> = Vec::new();
            for i in 0..text.len() {
                for literal in &shared.literals {
                    if text.as_bytes()[i..].starts_with(literal) {
                        places.push((0, i, i + literal.len()));
                    }
                }
            }
            places.sort_unstable();
            let mut found = Vec::new();
            shared.find(&text, &places, |s, e| found.push((s, e)));
            let expected: Vec<(usize, usize)> = regex
                .find_iter(&text)
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(found, expected, "{source} in {text:?}");
        }
    }
    for kind in [Trigger::Starts, Trigger::Contains, Trigger::None] {
        assert!(kinds.contains(&kind), "{kind:?} is tested");
    }
}

#[test]
fn a_gated_regex_still_finds_every_match_on_pages_with_its_literal() {
    let set = one("'zzzz'", r"regex = ['\b\d{1,3}\s?(%|procent)']");
    assert_eq!(
        matched(&set, "Doel: 80 % leest. Ook 75procent en 9%."),
        ["80 %", "75procent", "9%"]
    );
    assert!(matched(&set, "Doel: 80 van de 100 leerlingen.").is_empty());
}

#[test]
fn word_cursor_finds_what_a_binary_search_finds_in_any_order() {
    let spans: Vec<(usize, usize)> = (0..40).map(|i| (i * 10, i * 10 + 6)).collect();
    let mut queries: Vec<(usize, usize)> = Vec::new();
    for start in 0..420 {
        for len in [1, 3, 6, 7] {
            queries.push((start, start + len));
        }
    }
    // In order, backwards, and jumping about.
    let mut orders = vec![queries.clone(), queries.iter().rev().copied().collect()];
    let mut jumping = queries.clone();
    let mut state = 7u64;
    for i in (1..jumping.len()).rev() {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        jumping.swap(i, (state >> 33) as usize % (i + 1));
    }
    orders.push(jumping);
    for order in orders {
        let mut cursor = WordCursor::default();
        for &(start, end) in &order {
            let expected = word_at(&spans, start).filter(|&t| end <= spans[t].1);
            assert_eq!(
                cursor.holding(&spans, start, end),
                expected,
                "{start}..{end}"
            );
        }
    }
    assert_eq!(WordCursor::default().holding(&[], 0, 1), None);
}

/// A page with headings, a table of contents and sentences that all hold `evaluatie`.
const WITH_HEADINGS: &str = "Inhoud\n1 Evaluatie ........ 4\n2 Verbetering ........ 6\n\n\
     Schoolplan 2020-2024\nevaluatie en borging\n\n1 Evaluatie\nDe evaluatie van het plan \
     is in juni.\nEvaluatie\nde directie plant de evaluatie in mei.\n";

#[test]
fn headings_ignore_drops_hits_in_headings_and_keeps_the_sentences() {
    let counted = one("'evaluatie'", "");
    let all = matched(&counted, WITH_HEADINGS);
    assert_eq!(all.len(), 6, "{all:?}");
    let ignoring = one("'evaluatie'", "headings = 'ignore'");
    let kept = found(&ignoring, WITH_HEADINGS);
    let sentences: Vec<&str> = kept.iter().map(|h| h.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        [
            "De evaluatie van het plan is in juni.",
            "Evaluatie de directie plant de evaluatie in mei.",
            "Evaluatie de directie plant de evaluatie in mei.",
        ]
    );
    assert!(kept.iter().all(|h| !h.heading));
}

#[test]
fn hits_in_headings_are_flagged_and_unchanged_when_headings_count() {
    let implicit = found(&one("'evaluatie'", ""), WITH_HEADINGS);
    let explicit = found(&one("'evaluatie'", "headings = 'count'"), WITH_HEADINGS);
    assert_eq!(implicit, explicit);
    let flagged: Vec<bool> = implicit.iter().map(|h| h.heading).collect();
    assert_eq!(flagged, [true, true, true, false, false, false]);
}

#[test]
fn a_dropped_heading_hit_does_not_hide_an_overlapping_hit_that_counts() {
    // Two rules of one category find overlapping words in a heading: the longer one
    // ignores headings, the shorter one counts them and is kept.
    let set = rules(
        "[[category.rule]]\nid = 'long'\nterms = ['schoolplan evaluatie']\nheadings = 'ignore'\n\
         [[category.rule]]\nid = 'short'\nterms = ['evaluatie']\n",
        "",
    );
    let hits = found(&set, "Schoolplan evaluatie\nDe school werkt.\n");
    let rules: Vec<&str> = hits.iter().map(|h| &*h.rule).collect();
    assert_eq!(rules, ["short"]);
    assert!(hits[0].heading);
}

#[test]
fn a_two_letter_near_word_matches_only_the_whole_word() {
    let set = one("'beleid'", "near = ['we']\nwithin = 'sentence'");
    assert_eq!(matched(&set, "Dit beleid kennen we al jaren."), ["beleid"]);
    // `we` inside `twee` or `weten` is not the word `we`.
    assert!(matched(&set, "Het beleid is twee jaar oud, zoals ze weten.").is_empty());
    let close = one("'beleid'", "near = ['we']\nwithin = 2");
    assert_eq!(matched(&close, "Dit beleid voeren we uit."), ["beleid"]);
    assert!(
        matched(
            &close,
            "Dit beleid voeren ouders en leraren samen uit, zeggen we."
        )
        .is_empty()
    );
}

#[test]
fn a_gapped_phrase_finds_a_separable_verb_across_the_words_between() {
    let set = one("'stelt ... vast'", "");
    assert_eq!(
        matched(
            &set,
            "Het bestuur stelt het nieuwe schoolplan voor vier jaar vast."
        ),
        ["stelt het nieuwe schoolplan voor vier jaar vast"]
    );
    // Next to each other is a gap of no words.
    assert_eq!(
        matched(&set, "Wie stelt vast of het klopt?"),
        ["stelt vast"]
    );
    // Inflected parts through globs, and a phrase after the gap.
    let set = one("'stel* ... bij waar nodig'", "");
    assert_eq!(
        matched(&set, "We stellen de aanpak bij waar nodig."),
        ["stellen de aanpak bij waar nodig"]
    );
}

#[test]
fn a_gapped_phrase_stays_within_its_clause_and_the_gap_limit() {
    let set = one("'stelt ... vast'", "");
    assert!(matched(&set, "Hij stelt een vraag. Vast staat dat het kan.").is_empty());
    assert!(matched(&set, "Hij stelt een vraag; vast staat dat het kan.").is_empty());
    // The end of a clause blocks the words after it too, not only the next one.
    assert!(matched(&set, "Hij stelt een vraag. Dan staat vast dat het kan.").is_empty());
    assert!(
        matched(
            &set,
            "Hij stelt een vraag\n\nen dan staat vast dat het kan."
        )
        .is_empty()
    );
    // A comma does not end the clause.
    assert_eq!(
        matched(
            &set,
            "Het bestuur stelt, na overleg met de MR, het plan vast."
        ),
        ["stelt, na overleg met de MR, het plan vast"]
    );
    let words = |n: usize| {
        let between: Vec<String> = (0..n).map(|i| format!("woord{i}")).collect();
        format!("Het bestuur stelt {} vast.", between.join(" "))
    };
    assert!(
        matched(&set, &words(MAX_GAP + 1)).is_empty(),
        "more than {MAX_GAP} words between"
    );
    assert_eq!(matched(&set, &words(MAX_GAP)).len(), 1);
}

#[test]
fn a_negation_inside_the_gap_negates_a_separable_verb() {
    let set = one("'stellen ... bij'", "");
    assert_eq!(
        matched(&set, "We stellen de planning dit jaar niet bij."),
        ["!stellen de planning dit jaar niet bij"]
    );
    assert_eq!(
        matched(&set, "We stellen niet alleen de planning bij."),
        ["stellen niet alleen de planning bij"]
    );
}

#[test]
fn hits_of_some_categories_are_the_hits_of_all_less_the_others() {
    let set =
        RuleSet::from_sources(&[crate::rules::DEFAULT].map(|(n, t)| (n.into(), t.into()))).unwrap();
    let pages: Vec<Page> = [
        "De school stelt jaarlijks doelen vast. De directeur evalueert het plan met het team; \
         de MR heeft instemmingsrecht. Ook na de pilot blijven de lessen bestaan.",
        "Wij streven naar 80% van de leerlingen op niveau in 2026. Het team bespreekt de \
         resultaten en stelt het plan bij waar nodig. De intern begeleider is verantwoordelijk \
         voor de zorg.",
    ]
    .iter()
    .enumerate()
    .map(|(i, text)| Page {
        number: i as u32 + 1,
        ..page(text)
    })
    .collect();
    let all = hits(&set, &pages);
    let categories: std::collections::BTreeSet<usize> = all.iter().map(|h| h.category).collect();
    assert!(categories.len() >= 4, "{all:?}");
    for mask in [0b1u64, 0b10, 0b10_0101, 0b11_1110, 0] {
        let expected: Vec<Hit> = all
            .iter()
            .filter(|h| mask >> h.category & 1 == 1)
            .cloned()
            .collect();
        assert_eq!(hits_of(&set, &pages, mask), expected, "mask {mask:b}");
    }
}

/// The split view as it was first computed, word by word: the reference for
/// [`PageWords::fill`], which copies the words between joints in runs.
fn split_view_word_by_word(folded: &Folded) -> (Spans, Vec<usize>) {
    let joined = {
        let mut joined = Vec::new();
        text_words_into(&folded.text, &mut joined);
        joined
    };
    let (mut split, mut split_joined) = (Vec::new(), Vec::new());
    let mut joints = folded.joints.iter().map(|&j| j as usize).peekable();
    for (w, &(start, end)) in joined.iter().enumerate() {
        let mut from = start;
        while let Some(&j) = joints.peek() {
            if j >= end {
                break;
            }
            joints.next();
            if j > from {
                split.push((from, j));
                split_joined.push(w);
                from = j;
            }
        }
        split.push((from, end));
        split_joined.push(w);
    }
    (split, split_joined)
}

#[test]
fn split_view_is_the_joined_words_cut_at_their_joints() {
    let pieces = [
        "ouder-",
        "kind",
        "gesprek",
        " ",
        "\n",
        "-",
        "team-",
        "leider",
        "vak-",
        "\nwerk",
        "e-mail",
        "leer-lingen",
        "1-2",
        " - ",
        "school",
        "-leiding",
        "ib'er",
        "—",
        "a",
    ];
    let mut state = 17u64;
    let mut words = PageWords::default();
    let mut with_joints = 0;
    for round in 0..3000 {
        let mut text = String::new();
        for _ in 0..round % 40 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
        }
        let folded = crate::normalize::fold(&text);
        with_joints += usize::from(folded.joints.len() > 1);
        words.fill(&folded);
        let (split, split_joined) = split_view_word_by_word(&folded);
        assert_eq!(words.split(), &split[..], "{text:?}");
        for (i, &w) in split_joined.iter().enumerate() {
            assert_eq!(words.split_joined(i), w, "{text:?}");
            assert_eq!(
                words.split_holding(w, split[i].0, split[i].1),
                Some(i),
                "{text:?}"
            );
        }
    }
    assert!(with_joints > 1000, "{with_joints} pages with joints");
}

#[test]
fn whole_word_inside_a_compound_is_found_only_where_a_hyphen_joined_it() {
    // `leiding` is looked for as a whole word: inside `schoolleiding` it is passed over
    // from the bytes around it, but after a hyphen that folding took out it starts a word
    // of the split view.
    let set = one("'leiding'", "");
    assert!(matched(&set, "De schoolleiding stelt het plan vast.").is_empty());
    assert_eq!(
        matched(&set, "De school-leiding stelt het plan vast."),
        ["leiding"]
    );
    assert_eq!(
        matched(&set, "Het plan is van de leiding, niet van het team."),
        ["leiding"]
    );
    // A word that ends with the literal is no word that starts with it, and the other way.
    let set = one("'leiding*'", "");
    assert_eq!(
        matched(&set, "De leidinggevende en de schoolleiding."),
        ["leidinggevende"]
    );
    let set = one("'*leiding'", "");
    assert_eq!(
        matched(&set, "De leidinggevende en de schoolleiding."),
        ["schoolleiding"]
    );
}

/// A `doel` rule in goals and an `evalu*` rule in evaluation.
fn goals_and_evaluation() -> RuleSet {
    rules(
        "[[category.rule]]\nid = 'g'\nterms = ['doel']",
        "[[category.rule]]\nid = 'e'\nterms = ['evalu*']",
    )
}

#[test]
fn hits_in_one_sentence_show_the_same_sentence_and_its_start() {
    let set = goals_and_evaluation();
    let hits = found(
        &set,
        "Intro. Het doel krijgt\néén evaluatie. Het doel blijft.",
    );
    let got: Vec<_> = hits
        .iter()
        .map(|h| (h.matched.as_str(), h.sentence.as_str(), h.sentence_start))
        .collect();
    assert_eq!(
        got,
        [
            ("doel", "Het doel krijgt één evaluatie.", 7),
            ("evaluatie", "Het doel krijgt één evaluatie.", 7),
            ("doel", "Het doel blijft.", 38),
        ]
    );
}

#[test]
fn hits_in_one_very_long_sentence_are_each_shown_with_their_own_part() {
    let set = goals_and_evaluation();
    let filler = "woordenboekje ".repeat(40);
    let hits = found(
        &set,
        &format!("{filler}doel {filler}evaluatie {filler}einde."),
    );
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert_eq!(hits[0].sentence_start, hits[1].sentence_start);
    assert!(hits[0].sentence.starts_with("… ") && hits[0].sentence.ends_with(" …"));
    assert!(hits[0].sentence.contains("doel") && !hits[0].sentence.contains("evaluatie"));
    assert!(hits[1].sentence.contains("evaluatie") && !hits[1].sentence.contains("doel"));
}
