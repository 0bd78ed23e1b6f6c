//! Verdict conditions: small boolean expressions over categories, written in the rule file
//! (`goals and (policy or evaluation)`, `2 of (goals, policy, evaluation)`, `not goals`,
//! `any`, `all`, `none`, `always`). They are parsed once when the rules load, so a typo is
//! a `rules check` error and never a surprise in the middle of a scan.
//!
//! The parser is recursive descent with a depth limit: a rule file is user input, and a
//! condition of ten thousand parentheses must be an error, not a stack overflow.

/// Deepest nesting of parentheses and `not` accepted.
const MAX_DEPTH: usize = 32;

/// Words with a meaning in conditions; a category may not be called one of them.
pub const KEYWORDS: [&str; 8] = ["and", "or", "not", "of", "any", "all", "none", "always"];

/// A parsed condition. Categories are indexes into `RuleSet::categories`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `always`.
    Always,
    /// A category id: it has counted evidence.
    Category(usize),
    /// `any`: at least one `required` category has evidence.
    AnyRequired,
    /// `all`: every `required` category has evidence.
    AllRequired,
    /// `none`: no `required` category has evidence.
    NoneRequired,
    Not(Box<Condition>),
    And(Vec<Condition>),
    Or(Vec<Condition>),
    /// `N of (a, b, c)`: at least N of the listed conditions hold.
    AtLeast(usize, Vec<Condition>),
}

impl Condition {
    /// Evaluates the condition; `has(i)` says whether category `i` has counted evidence.
    pub fn holds(&self, has: &dyn Fn(usize) -> bool, required: &[usize]) -> bool {
        match self {
            Condition::Always => true,
            Condition::Category(i) => has(*i),
            Condition::AnyRequired => required.iter().any(|&i| has(i)),
            Condition::AllRequired => required.iter().all(|&i| has(i)),
            Condition::NoneRequired => !required.iter().any(|&i| has(i)),
            Condition::Not(inner) => !inner.holds(has, required),
            Condition::And(items) => items.iter().all(|c| c.holds(has, required)),
            Condition::Or(items) => items.iter().any(|c| c.holds(has, required)),
            Condition::AtLeast(n, items) => {
                items.iter().filter(|c| c.holds(has, required)).count() >= *n
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Number(usize),
    Open,
    Close,
    Comma,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            ',' => {
                chars.next();
                out.push(Token::Comma);
            }
            c if c.is_ascii_alphanumeric() || c == '_' => {
                let mut end = i;
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &text[i..end];
                if word.chars().all(|d| d.is_ascii_digit()) {
                    let n = word
                        .parse()
                        .map_err(|_| format!("number `{word}` is too large"))?;
                    out.push(Token::Number(n));
                } else {
                    out.push(Token::Word(word.to_string()));
                }
            }
            other => return Err(format!("unexpected `{other}`")),
        }
    }
    Ok(out)
}

struct Parser<'a> {
    tokens: Vec<Token>,
    pos: usize,
    resolve: &'a dyn Fn(&str) -> Option<usize>,
}

/// Parses a condition; `resolve` maps a category id to its index.
pub fn parse(text: &str, resolve: &dyn Fn(&str) -> Option<usize>) -> Result<Condition, String> {
    let tokens = tokenize(text)?;
    if tokens.is_empty() {
        return Err("empty condition".into());
    }
    let mut parser = Parser {
        tokens,
        pos: 0,
        resolve,
    };
    let condition = parser.or(0)?;
    match parser.tokens.get(parser.pos) {
        None => Ok(condition),
        Some(token) => Err(format!(
            "unexpected {} after a complete condition",
            show(token)
        )),
    }
}

fn show(token: &Token) -> String {
    match token {
        Token::Word(w) => format!("`{w}`"),
        Token::Number(n) => format!("`{n}`"),
        Token::Open => "`(`".into(),
        Token::Close => "`)`".into(),
        Token::Comma => "`,`".into(),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        token
    }

    fn is_word(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w == word)
    }

    fn expect(&mut self, want: Token, context: &str) -> Result<(), String> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            Some(t) => Err(format!(
                "expected {} {context}, found {}",
                show(&want),
                show(&t)
            )),
            None => Err(format!("expected {} {context}, found the end", show(&want))),
        }
    }

    fn or(&mut self, depth: usize) -> Result<Condition, String> {
        let mut items = vec![self.and(depth)?];
        while self.is_word("or") {
            self.pos += 1;
            items.push(self.and(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::Or(items)
        })
    }

    fn and(&mut self, depth: usize) -> Result<Condition, String> {
        let mut items = vec![self.unary(depth)?];
        while self.is_word("and") {
            self.pos += 1;
            items.push(self.unary(depth)?);
        }
        Ok(if items.len() == 1 {
            items.remove(0)
        } else {
            Condition::And(items)
        })
    }

    fn unary(&mut self, depth: usize) -> Result<Condition, String> {
        if depth > MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH} levels"));
        }
        if self.is_word("not") {
            self.pos += 1;
            return Ok(Condition::Not(Box::new(self.unary(depth + 1)?)));
        }
        match self.next() {
            Some(Token::Open) => {
                let inner = self.or(depth + 1)?;
                self.expect(Token::Close, "to close `(`")?;
                Ok(inner)
            }
            Some(Token::Number(n)) => self.of(n, &n.to_string(), depth),
            Some(Token::Word(w)) => match w.as_str() {
                "always" => Ok(Condition::Always),
                "none" => Ok(Condition::NoneRequired),
                "any" | "all" if self.is_word("of") => {
                    let list = self.list(&w, depth)?;
                    let n = if w == "any" { 1 } else { list.len() };
                    Ok(Condition::AtLeast(n, list))
                }
                "any" => Ok(Condition::AnyRequired),
                "all" => Ok(Condition::AllRequired),
                "and" | "or" | "of" => Err(format!("`{w}` needs a condition before it")),
                id => (self.resolve)(id)
                    .map(Condition::Category)
                    .ok_or_else(|| format!("unknown category `{id}`")),
            },
            Some(other) => Err(format!("unexpected {}", show(&other))),
            None => Err("the condition ends too early".into()),
        }
    }

    /// `N of (a, b, ...)`, after N.
    fn of(&mut self, n: usize, written: &str, depth: usize) -> Result<Condition, String> {
        if !self.is_word("of") {
            return Err(format!(
                "a number must be followed by `of`, as in `{written} of (a, b)`"
            ));
        }
        let list = self.list(written, depth)?;
        if n == 0 || n > list.len() {
            return Err(format!(
                "`{n} of` a list of {}: the number must be between 1 and {}",
                list.len(),
                list.len()
            ));
        }
        Ok(Condition::AtLeast(n, list))
    }

    /// `of (a, b, ...)`.
    fn list(&mut self, head: &str, depth: usize) -> Result<Vec<Condition>, String> {
        self.pos += 1; // `of`
        self.expect(Token::Open, &format!("after `{head} of`"))?;
        let mut items = vec![self.or(depth + 1)?];
        while matches!(self.peek(), Some(Token::Comma)) {
            self.pos += 1;
            items.push(self.or(depth + 1)?);
        }
        self.expect(Token::Close, "to close the list")?;
        Ok(items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDS: [&str; 4] = ["goals", "policy", "evaluation", "ownership"];

    fn cond(text: &str) -> Result<Condition, String> {
        parse(text, &|id| IDS.iter().position(|c| *c == id))
    }

    /// Evaluates with the categories in `present` having evidence; all four are required.
    fn holds(text: &str, present: &[&str]) -> bool {
        let has = |i: usize| present.contains(&IDS[i]);
        cond(text).unwrap().holds(&has, &[0, 1, 2, 3])
    }

    #[test]
    fn and_or_not_and_parentheses() {
        assert!(holds("goals and policy", &["goals", "policy"]));
        assert!(!holds("goals and policy", &["goals"]));
        assert!(holds("goals or policy", &["policy"]));
        assert!(holds("not goals", &["policy"]));
        assert!(!holds("not goals", &["goals"]));
        // `and` binds tighter than `or`.
        assert!(holds("goals or policy and evaluation", &["goals"]));
        assert!(!holds("(goals or policy) and evaluation", &["goals"]));
    }

    #[test]
    fn n_of_list() {
        let text = "2 of (goals, policy, evaluation)";
        assert!(holds(text, &["goals", "evaluation"]));
        assert!(!holds(text, &["goals", "ownership"]));
        assert!(holds("any of (goals, policy)", &["policy"]));
        assert!(!holds("all of (goals, policy)", &["policy"]));
        assert!(holds(
            "1 of (goals and policy, evaluation)",
            &["evaluation"]
        ));
    }

    #[test]
    fn any_all_none_always_range_over_required() {
        assert!(holds("any", &["ownership"]));
        assert!(!holds("any", &[]));
        assert!(holds(
            "all",
            &["goals", "policy", "evaluation", "ownership"]
        ));
        assert!(!holds("all", &["goals", "policy", "evaluation"]));
        assert!(holds("none", &[]));
        assert!(!holds("none", &["goals"]));
        assert!(holds("always", &[]));
    }

    #[test]
    fn mistakes_are_errors_with_a_reason() {
        assert!(
            cond("goals and nope")
                .unwrap_err()
                .contains("unknown category `nope`")
        );
        assert!(cond("goals and").unwrap_err().contains("ends too early"));
        assert!(cond("(goals").unwrap_err().contains("to close"));
        assert!(cond("goals policy").unwrap_err().contains("unexpected"));
        assert!(
            cond("4 of (goals, policy)")
                .unwrap_err()
                .contains("between 1 and 2")
        );
        assert!(
            cond("2 (goals, policy)")
                .unwrap_err()
                .contains("followed by `of`")
        );
        assert!(
            cond("goals & policy")
                .unwrap_err()
                .contains("unexpected `&`")
        );
        assert!(cond("").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}goals{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(cond(&deep).unwrap_err().contains("nested"));
        let nots = format!("{}goals", "not ".repeat(10_000));
        assert!(cond(&nots).unwrap_err().contains("nested"));
    }
}
