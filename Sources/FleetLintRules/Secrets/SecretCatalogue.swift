// Built-in secret kinds. Shapes follow docs/reference/secrets.md §2 (which cites the gitleaks
// config and detect-secrets plugins); the regexes are ours. Every prefix rule ends at a
// character-class boundary (the next character is outside the token alphabet) rather than
// gitleaks' quote/space terminator, so a key followed by `&`, `\"` or `)` is still found.

/// The built-in catalogue of secret kinds.
public enum SecretCatalogue {
    // Boundaries: the secret must not be glued to more characters of its own alphabet.
    private static let notAlnumBefore = #"(?<![A-Za-z0-9])"#
    private static let notAlnumAfter = #"(?![A-Za-z0-9])"#
    private static let notUrlSafeBefore = #"(?<![A-Za-z0-9_-])"#
    private static let notUrlSafeAfter = #"(?![A-Za-z0-9_-])"#
    private static let notB64After = #"(?![A-Za-z0-9+/=])"#
    private static let notB64Before = #"(?<![A-Za-z0-9+/])"#
    private static let everywhere = ["**"]

    /// Key words that make a generic assignment secret-like (matched as whole words of the key name).
    static let genericKeyAlternation =
        #"password|passwd|passphrase|pwd|pass|secret|token|credentials?|api[_-]?key|apikey|access[_-]?key|accesskey|auth[_-]?key|authkey|private[_-]?key|signing[_-]?key|master[_-]?key|encryption[_-]?key"#

    /// All built-in patterns.
    public static let builtIn: [SecretPattern] = [
        SecretPattern(
            id: "gcp-service-account-key", description: "GCP service-account key (JSON with private_key)",
            regex: #"\\?"private_key\\?"\s*:\s*\\?"(-----BEGIN [A-Z ]*PRIVATE KEY-----(?:\\{1,2}[nr]|[A-Za-z0-9+/=\s]){64,})"#,
            keywords: ["\"private_key", "private_key\\\""], fileKeywords: ["service_account"],
            minEntropy: 4.0, specificity: 60),
        SecretPattern(
            id: "private-key", description: "Private key (PEM, OpenSSH or PuTTY)",
            regex: #"(-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-[23]:)"#,
            secretGroup: 1, keywords: ["private key", "putty-user-key-file-"], minEntropy: 4.0,
            specificity: 55, check: .privateKeyBody),
        SecretPattern(
            id: "gcp-api-key", description: "Google API key",
            regex: notUrlSafeBefore + #"(AIza[A-Za-z0-9_-]{35})"# + notUrlSafeAfter,
            keywords: ["aiza"], minEntropy: 3.5),
        SecretPattern(
            id: "gcp-oauth-client-secret", description: "Google OAuth client secret",
            regex: notUrlSafeBefore + #"(GOCSPX-[A-Za-z0-9_-]{28})"# + notUrlSafeAfter,
            keywords: ["gocspx-"], minEntropy: 3.5),
        SecretPattern(
            id: "gcp-oauth-access-token", description: "Google OAuth access token (ya29.)",
            regex: notUrlSafeBefore + #"(ya29\.[A-Za-z0-9_-]{30,300})"# + notUrlSafeAfter,
            keywords: ["ya29."], minEntropy: 4.0),
        SecretPattern(
            id: "aws-access-key-id", description: "AWS access key id",
            regex: notAlnumBefore + #"((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})"# + notAlnumAfter,
            keywords: ["akia", "asia", "abia", "acca", "a3t"], minEntropy: 3.0,
            allowlists: [SecretAllowlist(description: "AWS documentation example ids", paths: everywhere, regexes: [#"EXAMPLE$"#])],
            severity: .warning),
        SecretPattern(
            id: "aws-secret-access-key", description: "AWS secret access key",
            regex: #"(?i)aws[A-Za-z0-9_.\-]{0,20}(?:secret|key|pwd|pw|password|pass|token)[A-Za-z0-9_.\-]{0,20}\\?["']?\s*(?:=|:=|=>|:|,)\s*[rbu]?\\?["']?"# + notB64Before + #"([A-Za-z0-9/+]{40})"# + notB64After,
            keywords: ["aws"], minEntropy: 4.0,
            allowlists: [SecretAllowlist(description: "AWS documentation example key", paths: everywhere, regexes: [#"EXAMPLEKEY$"#])],
            specificity: 40),
        SecretPattern(
            id: "github-token", description: "GitHub token (classic PAT, OAuth, app or refresh)",
            regex: notAlnumBefore + #"(gh[pousr]_[A-Za-z0-9]{36})"# + notAlnumAfter,
            keywords: ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], minEntropy: 3.5),
        SecretPattern(
            id: "github-fine-grained-pat", description: "GitHub fine-grained personal access token",
            regex: notAlnumBefore + #"(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})"# + notAlnumAfter,
            keywords: ["github_pat_"], minEntropy: 3.5),
        SecretPattern(
            id: "gitlab-token", description: "GitLab token (personal, deploy, runner, CI job, trigger)",
            regex: notUrlSafeBefore + #"((?:glpat|gldt|glrt|glcbt|glptt|glsoat|glft)-[A-Za-z0-9_-]{20,300}(?:\.[a-z0-9]{9})?)"# + notUrlSafeAfter,
            keywords: ["glpat-", "gldt-", "glrt-", "glcbt-", "glptt-", "glsoat-", "glft-"], minEntropy: 3.0),
        SecretPattern(
            id: "slack-token", description: "Slack bot, user or legacy token",
            regex: notAlnumBefore + #"(xox[bpaeors]-[0-9]{8,13}-[0-9]{8,13}(?:-[0-9]{8,13})?-[A-Za-z0-9]{24,34})"# + notAlnumAfter,
            keywords: ["xoxb-", "xoxp-", "xoxa-", "xoxe-", "xoxo-", "xoxr-", "xoxs-"], minEntropy: 3.0),
        SecretPattern(
            id: "slack-token", description: "Slack configuration or refresh token",
            regex: notAlnumBefore + #"(xoxe(?:\.xox[bp])?-1-[A-Za-z0-9]{140,180})"# + notAlnumAfter,
            keywords: ["xoxe"], minEntropy: 3.5),
        SecretPattern(
            id: "slack-app-token", description: "Slack app-level token",
            regex: notAlnumBefore + #"(xapp-[0-9]-[A-Z0-9]{8,14}-[0-9]{8,16}-[a-f0-9]{64})"# + notAlnumAfter,
            keywords: ["xapp-"], minEntropy: 3.0),
        SecretPattern(
            id: "slack-webhook-url", description: "Slack incoming-webhook URL",
            regex: #"hooks\.slack\.com/(?:services|workflows|triggers)/((?:T[A-Z0-9]{8,11}/B[A-Z0-9]{8,11}/[A-Za-z0-9]{24})|[A-Za-z0-9+/]{43,56})"# + notAlnumAfter,
            keywords: ["hooks.slack.com/"], minEntropy: 3.5),
        SecretPattern(
            id: "stripe-secret-key", description: "Stripe live secret or restricted key",
            regex: notAlnumBefore + #"((?:sk|rk)_live_[A-Za-z0-9]{24,247})"# + notAlnumAfter,
            keywords: ["sk_live_", "rk_live_"], minEntropy: 3.5),
        SecretPattern(
            id: "twilio-api-key", description: "Twilio API key SID",
            regex: notAlnumBefore + #"(SK[0-9a-fA-F]{32})"# + notAlnumAfter,
            keywords: ["sk"], fileKeywords: ["twilio"], minEntropy: 3.2, specificity: 45),
        SecretPattern(
            id: "twilio-auth-token", description: "Twilio auth token",
            regex: #"(?i)twilio[A-Za-z0-9_.\-]{0,20}(?:auth|token|secret)[A-Za-z0-9_.\-]{0,20}\\?["']?\s*(?:=|:=|=>|:|,)\s*[rbu]?\\?["']?(?<![0-9a-f])([0-9a-f]{32})(?![0-9a-f])"#,
            keywords: ["twilio"], minEntropy: 3.0, specificity: 40),
        SecretPattern(
            id: "sendgrid-api-key", description: "SendGrid API key",
            regex: notUrlSafeBefore + #"(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})"# + notUrlSafeAfter,
            keywords: ["sg."], minEntropy: 4.0),
        SecretPattern(
            id: "mailgun-api-key", description: "Mailgun API key",
            regex: notUrlSafeBefore + #"(key-[0-9a-f]{32})"# + notAlnumAfter,
            keywords: ["key-"], minEntropy: 3.2),
        SecretPattern(
            id: "openai-api-key", description: "OpenAI API key",
            regex: notUrlSafeBefore + #"(sk-(?:(?:proj|svcacct|admin)-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200})"# + notUrlSafeAfter,
            keywords: ["t3blbkfj"], minEntropy: 3.5),
        SecretPattern(
            id: "anthropic-api-key", description: "Anthropic API key",
            regex: notUrlSafeBefore + #"(sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,100}AA)"# + notUrlSafeAfter,
            keywords: ["sk-ant-"], minEntropy: 3.5),
        SecretPattern(
            id: "huggingface-token", description: "Hugging Face access token",
            regex: notAlnumBefore + #"((?:hf|api_org)_[A-Za-z]{34})"# + notAlnumAfter,
            keywords: ["hf_", "api_org_"], minEntropy: 3.5),
        SecretPattern(
            id: "npm-token", description: "npm access token",
            regex: notAlnumBefore + #"(npm_[A-Za-z0-9]{36})"# + notAlnumAfter,
            keywords: ["npm_"], minEntropy: 3.5),
        SecretPattern(
            id: "pypi-token", description: "PyPI or TestPyPI upload token",
            regex: notUrlSafeBefore + #"(pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,})"# + notUrlSafeAfter,
            keywords: ["pypi-ageichlwas5vcmc", "pypi-agendgvzdc5wexbplm9yzw"], minEntropy: 3.5),
        SecretPattern(
            id: "docker-config-auth", description: "Docker config.json registry credentials",
            regex: #"\\?"auth\\?"\s*:\s*\\?"([A-Za-z0-9+/]{8,}={0,2})\\?""#,
            keywords: ["\"auth"], fileKeywords: ["auths"], specificity: 45, check: .base64Credentials),
        SecretPattern(
            id: "discord-bot-token", description: "Discord bot token",
            regex: #"(?i:discord)[^\n]{0,60}?"# + notUrlSafeBefore + #"([MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,40})"# + notUrlSafeAfter,
            keywords: ["discord"], minEntropy: 3.5, specificity: 45),
        SecretPattern(
            id: "telegram-bot-token", description: "Telegram bot token",
            regex: #"(?<![0-9])([0-9]{8,10}:AA[A-Za-z0-9_-]{33})"# + notUrlSafeAfter,
            keywords: [":aa"], minEntropy: 3.5),
        SecretPattern(
            id: "azure-storage-connection-string", description: "Azure storage account key in a connection string",
            regex: #"(?i:AccountKey)=([A-Za-z0-9+/]{86}==)"#,
            keywords: ["accountkey="], minEntropy: 4.0),
        SecretPattern(
            id: "jwt", description: "JSON Web Token in a secret context",
            regex: #"(?i:token|bearer|jwt|auth|secret|session|cookie|password|key)[^\n]{0,60}?"# + notUrlSafeBefore + #"(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})"# + notUrlSafeAfter,
            keywords: ["eyj"], minEntropy: 3.5, specificity: 30, check: .jwt),
        SecretPattern(
            // A signed token alone on its line (a token file, a line of a multi-line string or list).
            id: "jwt", description: "JSON Web Token",
            regex: #"^\s*(?:[-*]\s+)?[`"']?(eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})[`"']?[,;]?\s*$"#,
            keywords: ["eyj"], minEntropy: 3.5, specificity: 30, check: .jwt),
        SecretPattern(
            id: "url-with-password", description: "Password embedded in a URL",
            regex: #"://([^:/@\s"'<>{}$\\]{0,64}):([^@/\s"'<>{}$\\]{1,128})@[A-Za-z0-9\[]"#,
            secretGroup: 2, keywords: ["://"], specificity: 20, check: .urlPassword),
        SecretPattern(
            id: "generic-secret", description: "Secret-named key assigned a literal",
            regex: #"(?i)(?<![A-Za-z0-9_.\-])([A-Za-z0-9_.\-]{0,40}(?:"# + genericKeyAlternation + #")[A-Za-z0-9_.\-]{0,40})\\?["']?\]?\s*(?::=|=>|=(?!=)|:(?!:))\s*(?:[rbuf]{0,2}\\?["'])?([^\s"'`\\,;)\]}]{1,200})"#,
            secretGroup: 2, keywords: genericKeywords, minEntropy: 3.0, specificity: 10, check: .assignment,
            engine: .assignmentScanner),
    ]

    static let genericKeywords = [
        "password", "passwd", "passphrase", "pwd", "_pass", "pass_", "-pass", "secret", "token", "credential", "api_key", "api-key", "apikey",
        "access_key", "access-key", "accesskey", "auth_key", "authkey", "private_key", "private-key", "privatekey",
        "signing_key", "signingkey", "master_key", "encryption_key",
    ]

    /// Every built-in kind id, once, in catalogue order.
    public static var kindIds: [String] {
        var seen = Set<String>()
        return builtIn.map(\.id).filter { seen.insert($0).inserted }
    }
}
