// @ts-check
/**
 * The changelog generator of this repository: `@changesets/changelog-github`'s format (PR link,
 * commit link, thanks, summary) built from local git alone. changelog-github asks GitHub's GraphQL
 * API for every line and so needs a GITHUB_TOKEN and the network at version time; this module never
 * leaves the machine, so `pnpm version-packages` gives the same CHANGELOG.md in the release
 * workflow, in CI and in the offline release rehearsal.
 *
 * Where a link comes from, in order:
 * - the summary's own `pr: #12`, `commit: <sha>` and `author: @login` lines (changelog-github's
 *   override syntax; they are removed from the text);
 * - the commit that added the changeset (changesets finds it with `git log`): its subject names
 *   the pull request on a squash merge ("Title (#12)") or a merge commit ("Merge pull request #12
 *   from ..."), and a GitHub noreply author address names the author.
 * Bare `#12` references in the text become issue links, as changelog-github does.
 *
 * Configured in config.json as `["./changelog.cjs", { "repo": "owner/name" }]`.
 */
const { execFileSync } = require('node:child_process');

/**
 * @typedef {{ repo: string }} ChangelogOptions
 * @typedef {{ id: string, summary: string, commit?: string }} ChangesetWithCommit
 * @typedef {{ name: string, newVersion: string }} UpdatedDependency
 * @typedef {{ pr?: number, commit?: string, authors: string[], text: string }} ParsedSummary
 */

// Set by GitHub Actions (GitHub Enterprise Server has its own); read by `changeset version`, not a turbo task.
// biome-ignore lint/suspicious/noUndeclaredEnvVars: not read inside a turbo task.
const serverUrl = () => (process.env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');

/** @param {unknown} options @returns {string} */
const repositoryOf = (options) => {
  const repo =
    typeof options === 'object' && options !== null && 'repo' in options ? options.repo : undefined;
  if (typeof repo !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repo)) {
    throw new Error(
      'Name the GitHub repository in .changeset/config.json: "changelog": ["./changelog.cjs", { "repo": "owner/name" }]',
    );
  }
  return repo;
};

/**
 * Takes changelog-github's override lines out of a summary.
 * @param {string} summary
 * @returns {ParsedSummary}
 */
const parseSummary = (summary) => {
  /** @type {ParsedSummary} */
  const parsed = { authors: [], text: '' };
  parsed.text = summary
    .replace(/^\s*(?:pr|pull|pull\s+request):\s*#?(\d+)[^\S\n]*\n?/im, (_, pr) => {
      parsed.pr = Number(pr);
      return '';
    })
    .replace(/^\s*commit:\s*([0-9a-f]{7,40})[^\S\n]*\n?/im, (_, commit) => {
      parsed.commit = commit;
      return '';
    })
    .replace(/^\s*(?:author|user):\s*@?([\w-]+)[^\S\n]*\n?/gim, (_, user) => {
      parsed.authors.push(user);
      return '';
    })
    .trim();
  return parsed;
};

/**
 * The subject and author e-mail of a local commit, or undefined when git does not know it.
 * @param {string} commit
 * @returns {{ subject: string, email: string } | undefined}
 */
const readCommit = (commit) => {
  try {
    const output = execFileSync('git', ['log', '-1', '--format=%s%n%ae', commit, '--'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [subject = '', email = ''] = output.split('\n');
    return { subject, email };
  } catch {
    return undefined;
  }
};

/** @param {string} subject @returns {number | undefined} */
const pullRequestOfSubject = (subject) => {
  const match = /\(#(\d+)\)\s*$/.exec(subject) ?? /^Merge pull request #(\d+)\b/.exec(subject);
  return match ? Number(match[1]) : undefined;
};

/**
 * GitHub's noreply addresses are `login@users.noreply.github.com` or `id+login@...`.
 * @param {string} email
 * @returns {string | undefined}
 */
const loginOfEmail = (email) =>
  /^(?:\d+\+)?([A-Za-z\d](?:[A-Za-z\d-]*[A-Za-z\d])?)@users\.noreply\.github\.com$/i.exec(
    email,
  )?.[1];

/** @param {string} repo @param {string} commit */
const commitLink = (repo, commit) =>
  `[\`${commit.slice(0, 7)}\`](${serverUrl()}/${repo}/commit/${commit})`;

/** @param {string} line @param {string} repo */
const linkIssueReferences = (line, repo) =>
  // Match what to skip (existing markdown links), capture what to link.
  line.replace(/\[.*?\]\(.*?\)|\B#([1-9]\d*)\b/g, (match, issue) =>
    issue ? `[#${issue}](${serverUrl()}/${repo}/issues/${issue})` : match,
  );

/**
 * @param {ChangesetWithCommit} changeset
 * @param {string} _type
 * @param {unknown} options
 * @returns {Promise<string>}
 */
const getReleaseLine = async (changeset, _type, options) => {
  const repo = repositoryOf(options);
  const summary = parseSummary(changeset.summary);
  const commit = summary.commit ?? changeset.commit;
  const local = commit ? readCommit(commit) : undefined;
  const pr = summary.pr ?? (local ? pullRequestOfSubject(local.subject) : undefined);
  const localLogin = local ? loginOfEmail(local.email) : undefined;
  const authors = summary.authors.length > 0 ? summary.authors : localLogin ? [localLogin] : [];

  const prefix = [
    pr === undefined ? undefined : `[#${pr}](${serverUrl()}/${repo}/pull/${pr})`,
    commit ? commitLink(repo, commit) : undefined,
    authors.length > 0
      ? `Thanks ${authors.map((login) => `[@${login}](${serverUrl()}/${login})`).join(', ')}!`
      : undefined,
  ]
    .filter(Boolean)
    .join(' ');

  const [firstLine = '', ...rest] = summary.text.split('\n').map((line) => line.trimEnd());
  const head = `\n\n- ${prefix ? `${prefix} - ` : ''}${linkIssueReferences(firstLine, repo)}`;
  const body = rest.map((line) => (line ? `  ${linkIssueReferences(line, repo)}` : '')).join('\n');
  return body.trim() ? `${head}\n${body}` : head;
};

/**
 * @param {ChangesetWithCommit[]} changesets
 * @param {UpdatedDependency[]} dependenciesUpdated
 * @param {unknown} options
 * @returns {Promise<string>}
 */
const getDependencyReleaseLine = async (changesets, dependenciesUpdated, options) => {
  const repo = repositoryOf(options);
  if (dependenciesUpdated.length === 0) {
    return '';
  }
  const commits = changesets.flatMap((changeset) => {
    const commit = parseSummary(changeset.summary).commit ?? changeset.commit;
    return commit ? [commitLink(repo, commit)] : [];
  });
  const header =
    commits.length > 0
      ? `- Updated dependencies [${commits.join(', ')}]:`
      : '- Updated dependencies:';
  return [
    header,
    ...dependenciesUpdated.map(({ name, newVersion }) => `  - ${name}@${newVersion}`),
  ].join('\n');
};

module.exports = {
  getReleaseLine,
  getDependencyReleaseLine,
  parseSummary,
  pullRequestOfSubject,
  loginOfEmail,
};
