import { describe, expect, it } from '@jest/globals'
import { extractLinks, scanLinks, type RawLink } from '../src/digest/links.js'
import { random } from '../test-support/random.js'

const TITLE = 'Scaling World Model for Hierarchical Manipulation Policies'

function links(comment: string | undefined, abstract = 'We study robots.', title = TITLE) {
  return extractLinks({ title, abstract, comment })
}

/** Runs `fn` and fails if it took longer than `ms`: a quadratic or exponential scanner would. */
function fast<T>(fn: () => T, ms = 1000): T {
  const t0 = performance.now()
  const result = fn()
  expect(performance.now() - t0).toBeLessThan(ms)
  return result
}

describe('extractLinks: the reference pages', () => {
  it('unwraps \\href and takes its target (the reference printed it raw)', () => {
    expect(links('Project page: \\href{https://vista-wm.github.io/}{https://vista-wm.github.io}')).toEqual({
      projectPage: 'https://vista-wm.github.io/'
    })
  })

  it('unwraps \\url', () => {
    const p = extractLinks({
      title: 'VLAW: Iterative Co-Improvement of Vision-Language-Action Policy and World Model',
      abstract: 'We improve VLA models through iterative online interaction.',
      comment: 'Project page: \\url{https://sites.google.com/view/vla-w}'
    })
    expect(p).toEqual({ projectPage: 'https://sites.google.com/view/vla-w' })
  })

  it('keeps a repository URL as written, .git included', () => {
    const p = extractLinks({
      title: 'ResWorld: Temporal Residual World Model for End-to-End Autonomous Driving',
      abstract:
        'The comprehensive experiments conducted on nuScenes and NAVSIM benchmarks prove the effectiveness ' +
        'of our method. The code is available at https://github.com/mengtan00/ResWorld.git.',
      comment: undefined
    })
    expect(p).toEqual({ code: 'https://github.com/mengtan00/ResWorld.git' })
  })

  it('finds both a project page and a repository', () => {
    const p = extractLinks({
      title: 'ABot-M0: VLA Foundation Model for Robotic Manipulation with Action Manifold Learning',
      abstract:
        'Project website: https://amap-cvlab.github.io/ABot-Manipulation/ . ' +
        'Code: https://github.com/amap-cvlab/ABot-Manipulation .',
      comment: undefined
    })
    expect(p).toEqual({
      projectPage: 'https://amap-cvlab.github.io/ABot-Manipulation/',
      code: 'https://github.com/amap-cvlab/ABot-Manipulation'
    })
  })

  it('prefers the repository named after the title acronym (Causal-JEPA → cjepa)', () => {
    const p = extractLinks({
      title: 'Causal-JEPA: Learning World Models through Object-Level Latent Interventions',
      abstract:
        'We build on the slot-attention code of https://github.com/amazon-science/object-centric-learning-framework ' +
        'and release ours at https://github.com/galilai-group/cjepa',
      comment: 'Project page: https://hazel-heejeong-nam.github.io/cjepa/'
    })
    expect(p).toEqual({
      projectPage: 'https://hazel-heejeong-nam.github.io/cjepa/',
      code: 'https://github.com/galilai-group/cjepa'
    })
  })

  it('finds nothing in a comment without links', () => {
    expect(links('11 pages, 5 figures. Accepted at ICRA 2026')).toEqual({})
  })
})

describe('extractLinks: URL boundaries', () => {
  it.each([
    ['Code: https://github.com/x/y.', 'https://github.com/x/y'],
    ['Code: https://github.com/x/y, data soon', 'https://github.com/x/y'],
    ['Code: https://github.com/x/y; data soon', 'https://github.com/x/y'],
    ['(code: https://github.com/x/y).', 'https://github.com/x/y'],
    ['[code at https://github.com/x/y]', 'https://github.com/x/y'],
    ['Code is at "https://github.com/x/y".', 'https://github.com/x/y'],
    ["Code is at ``https://github.com/x/y''.", 'https://github.com/x/y'],
    ['Code: <https://github.com/x/y>', 'https://github.com/x/y'],
    ['Code: https://github.com/x/y~\\cite{foo}', 'https://github.com/x/y'],
    ['Code: \\url{https://github.com/x/my\\_repo}', 'https://github.com/x/my_repo'],
    ['Code: https://github.com/x/y/tree/main/src', 'https://github.com/x/y/tree/main/src'],
    ['Code: HTTPS://GitHub.com/x/y', 'HTTPS://GitHub.com/x/y'],
    ['Code: http://github.com/x/y', 'http://github.com/x/y'],
    ['Code:https://github.com/x/y', 'https://github.com/x/y'],
    ['Code: https://gitlab.com/group/sub/project', 'https://gitlab.com/group/sub/project'],
    ['Code: https://bitbucket.org/team/repo', 'https://bitbucket.org/team/repo'],
    ['Code: https://codeberg.org/team/repo', 'https://codeberg.org/team/repo'],
    ['Code: https://gitee.com/team/repo', 'https://gitee.com/team/repo']
  ])('%j → code %j', (comment, url) => {
    expect(links(comment).code).toBe(url)
  })

  it.each([
    ['See https://en.wikipedia.org/wiki/Foo_(bar) for background', undefined],
    ['Project: https://example.org/wiki/Foo_(bar).', 'https://example.org/wiki/Foo_(bar)'],
    ['Project: (https://example.org/wiki/Foo_(bar))', 'https://example.org/wiki/Foo_(bar)'],
    ['Project page: https://x.org/a?b=1&c=2#top!', 'https://x.org/a?b=1&c=2#top'],
    ['Project page: \\url{https://x.org/100\\%/a\\#b}', 'https://x.org/100%/a#b'],
    ['Project page: \\url{https://x.org/a\\&b}', 'https://x.org/a&b'],
    ['Homepage: http://www.cs.foo.edu/$\\sim$jdoe/vla.', 'http://www.cs.foo.edu/~jdoe/vla'],
    ['Homepage: http://www.cs.foo.edu/\\textasciitilde{}jdoe/', 'http://www.cs.foo.edu/~jdoe/'],
    ['Homepage: http://www.cs.foo.edu/\\~jdoe/', 'http://www.cs.foo.edu/~jdoe/'],
    ['Homepage: \\url{https://x.org/a/}\\footnote{b}', 'https://x.org/a/'],
    ['Videos: https://opendrivelab.com/kai0-rl/', 'https://opendrivelab.com/kai0-rl/'],
    ['项目主页：https://x.org/a。', 'https://x.org/a']
  ])('%j → project page %j', (comment, url) => {
    expect(links(comment).projectPage).toBe(url)
  })

  it.each([
    ['empty comment', ''],
    ['undefined comment', undefined],
    ['ftp only', 'Data: ftp://ftp.example.org/pub/data'],
    ['a mailto', 'Contact: mailto:someone@example.org'],
    ['e-mail address', 'Correspondence: jane@github.com'],
    ['an ssh clone address', 'git clone git@github.com:x/y.git'],
    ['a bare www host', 'Project page: www.example.org/vla'],
    ['scheme without host', 'see http:// and https://'],
    ['a host without a dot', 'see http://localhost:8080/x'],
    ['an IP address', 'see http://192.168.1.1/x'],
    ['a word glued before the scheme', 'xhttps://example.org/a'],
    ['user info spoofing a code host', 'Code: https://github.com@evil.example.org/x/y']
  ])('%s → nothing', (_label, comment) => {
    expect(links(comment)).toEqual({})
  })
})

describe('extractLinks: bare links without a scheme', () => {
  it('accepts a bare code-host repository and adds https://', () => {
    expect(links('Code: github.com/foo/bar.')).toEqual({ code: 'https://github.com/foo/bar' })
  })

  it('accepts a bare github.io page', () => {
    expect(links('Project page: foo-bar.github.io/vla.')).toEqual({
      projectPage: 'https://foo-bar.github.io/vla'
    })
    expect(links('Project page: foo-bar.github.io.')).toEqual({ projectPage: 'https://foo-bar.github.io' })
  })

  it('does not take a bare code host without a repository path', () => {
    expect(links('We love github.com and gitlab.com/')).toEqual({})
  })
})

describe('extractLinks: what counts as code and as a project page', () => {
  it.each([
    'https://arxiv.org/abs/2602.11389',
    'https://export.arxiv.org/abs/2602.11389',
    'https://doi.org/10.1109/ICRA.2026.1',
    'https://dx.doi.org/10.1109/ICRA.2026.1',
    'https://creativecommons.org/licenses/by/4.0/',
    'https://www.youtube.com/watch?v=abc',
    'https://youtu.be/abc',
    'https://twitter.com/someone',
    'https://x.com/someone',
    'https://huggingface.co/org/model',
    'https://huggingface.co/datasets/org/data',
    'https://openreview.net/forum?id=abc',
    'https://drive.google.com/file/d/abc',
    'https://zenodo.org/records/123',
    'https://github.com/galilai-group',
    'https://github.com/topics/world-models',
    'https://gist.github.com/someone/abc123',
    'https://github.com/octocat/Hello-World/issues/1',
    'https://github.com/octocat/Hello-World/pull/2',
    'https://github.com/octocat/Hello-World/pulls',
    'https://github.com/octocat/Hello-World/discussions/3',
    'https://github.com/octocat/Hello-World/commit/7fd1a60b01f91b314f59955a4e4d4e80d8edf11d',
    'https://gitlab.com/group/project/-/issues/4',
    'https://github.com/octocat'
  ])('%s is neither', url => {
    expect(links(`Links: ${url}`)).toEqual({})
  })

  it.each([
    ['https://github.com/octocat/Hello-World', 'https://github.com/octocat/Hello-World'],
    ['https://github.com/lab/repo/tree/main/sim', 'https://github.com/lab/repo/tree/main/sim'],
    ['https://gitlab.com/group/project/-/tree/main', 'https://gitlab.com/group/project/-/tree/main'],
    ['https://anonymous.4open.science/r/wm-7F3A/', 'https://anonymous.4open.science/r/wm-7F3A/']
  ])('%s is code', (url, code) => {
    expect(links(`Code: ${url}`)).toEqual({ code })
  })

  it('an anonymised review repository is code, not a project page', () => {
    expect(links('Code: https://anonymous.4open.science/r/wm-7F3A/ and https://wm.github.io/')).toEqual({
      code: 'https://anonymous.4open.science/r/wm-7F3A/',
      projectPage: 'https://wm.github.io/'
    })
  })

  it('takes github.io pages as project pages, not code', () => {
    expect(links('https://gigabrain05m.github.io/')).toEqual({
      projectPage: 'https://gigabrain05m.github.io/'
    })
  })
})

describe("extractLinks: the paper's own link over cited ones", () => {
  it('prefers the comment over the abstract', () => {
    const p = links(
      'Code: https://github.com/lab/mine',
      'We evaluate on the tasks of https://github.com/other/suite and https://other.org/page.'
    )
    expect(p.code).toBe('https://github.com/lab/mine')
    expect(p.projectPage).toBe('https://other.org/page')
  })

  it('prefers a bare link in the comment over a cued one in the abstract', () => {
    const abstract = 'Simulation code from ManiSkill is available at https://github.com/haosulab/ManiSkill.'
    expect(links('Accepted at CoRL 2026. https://github.com/lab/mine', abstract).code).toBe(
      'https://github.com/lab/mine'
    )
  })

  it('skips a baseline repository when another candidate exists', () => {
    const abstract =
      'We compare with the baselines https://github.com/openvla/openvla and find large gains. ' +
      'Our code is available at https://github.com/lab/fastvla.'
    expect(links(undefined, abstract).code).toBe('https://github.com/lab/fastvla')
  })

  it.each(['based on', 'built upon', 'compared to', 'adapted from'])(
    'skips a repository introduced as %j',
    cue => {
      const abstract = `Our policy, ${cue} https://github.com/a/prior, uses https://github.com/lab/tool`
      expect(links(undefined, abstract).code).toBe('https://github.com/lab/tool')
    }
  )

  it('still reports a baseline repository when it is the only one', () => {
    expect(links(undefined, 'We compare with https://github.com/openvla/openvla.').code).toBe(
      'https://github.com/openvla/openvla'
    )
  })

  it('skips an awesome list unless it is the only candidate', () => {
    expect(links('See https://github.com/x/Awesome-World-Models and https://github.com/x/scaler').code).toBe(
      'https://github.com/x/scaler'
    )
    expect(links('We maintain https://github.com/x/awesome-world-models').code).toBe(
      'https://github.com/x/awesome-world-models'
    )
  })

  it('raises a candidate introduced by "our code" / "code is available at"', () => {
    const comment =
      'Uses https://github.com/a/simulator. Our code is available at https://github.com/b/robot.'
    expect(links(comment).code).toBe('https://github.com/b/robot')
  })

  it('raises the repository named after the paper', () => {
    const p = extractLinks({
      title: 'ResWorld: Temporal Residual World Model for End-to-End Autonomous Driving',
      abstract: 'We use https://github.com/a/navsim-tools and https://github.com/mengtan00/ResWorld',
      comment: ''
    })
    expect(p.code).toBe('https://github.com/mengtan00/ResWorld')
  })

  it('prefers the project page named after the paper and introduced as such', () => {
    const p = extractLinks({
      title: 'HAIC: Humanoid Agile Object Interaction Control via Dynamics-Aware World Model',
      abstract: 'Motion data from https://amass.is.tue.mpg.de/ is retargeted.',
      comment: 'Project page: https://haic-humanoid.github.io/'
    })
    expect(p.projectPage).toBe('https://haic-humanoid.github.io/')
  })

  it('applies the same preference to project pages', () => {
    const abstract =
      'We evaluate on the benchmark built upon https://libero-project.github.io/ and show videos at ' +
      'https://fastvla.github.io/.'
    expect(links(undefined, abstract).projectPage).toBe('https://fastvla.github.io/')
  })

  it('takes the first of equally good candidates', () => {
    expect(links('https://github.com/a/one https://github.com/b/two').code).toBe('https://github.com/a/one')
    expect(links('https://github.com/b/two https://github.com/a/one').code).toBe('https://github.com/b/two')
  })

  it('ignores the display text of \\href', () => {
    const comment = 'Project page: \\href{https://real.example.org/}{https://printed.example.org}'
    expect(links(comment).projectPage).toBe('https://real.example.org/')
    expect(links('\\href{https://example.org/page}{https://github.com/a/b}')).toEqual({
      projectPage: 'https://example.org/page'
    })
    const both = '\\href{https://github.com/a/b}{code} and \\href{https://a.example.org}{page}'
    expect(links(both)).toEqual({ code: 'https://github.com/a/b', projectPage: 'https://a.example.org' })
  })
})

describe('scanLinks: starting late', () => {
  const all = (text: string, from?: number): RawLink[] => {
    const found: RawLink[] = []
    scanLinks(
      text,
      link => {
        found.push(link)
        return true
      },
      from
    )
    return found
  }
  // Pieces that put a link's word (http, github, …) inside host names, paths, e-mail addresses,
  // TeX and \\href texts, after spaces and other separators, in any letter case.
  const PIECES = [
    ' ',
    '  ',
    '\t',
    '\n',
    '.',
    '-',
    '/',
    '@',
    '_',
    '(',
    ')',
    '{',
    '}',
    '~',
    '$',
    '\\',
    ':',
    'x',
    'Code',
    'https://github.com/a/b',
    'HTTP://Example.org/p',
    'http://',
    'github.com/o/r',
    'GitHub.com/o/r',
    'www.github.com/o/r',
    'x.github.io',
    'Lab.GitHub.IO/',
    'gitlab.com/g/s/p',
    'gitee.com/a/b',
    'bitbucket.org/a/b',
    'codeberg.org/a/b',
    'foo.github.com/x',
    'foo.https',
    'git@github.com:a/b',
    '\\href{https://a.org}{https://b.org}',
    '\\url{http://c.org}',
    'x\\_y',
    '$\\sim$u',
    'githubx',
    'a.b.c',
    'http'
  ]
  // A fixed pseudo-random sequence, so a failure repeats.
  const rand = random(12345)
  const next = (n: number) => Math.floor(rand() * n)
  const texts = Array.from({ length: 3000 }, () =>
    Array.from({ length: 1 + next(12) }, () => PIECES[next(PIECES.length)]).join('')
  )

  it('finds the links a scan from the first character finds, in any text', () => {
    for (const text of texts) expect([text, all(text)]).toEqual([text, all(text, 0)])
    // The generator reaches the cases that matter: texts with links, and links after a space.
    expect(texts.filter(t => all(t).length > 0).length).toBeGreaterThan(1000)
    expect(texts.filter(t => all(t).some(l => l.start > 0 && t[l.start - 1] === ' ')).length).toBeGreaterThan(
      100
    )
  })

  it('finds nothing in a text without a link word, and stops at the start otherwise', () => {
    expect(all('see our project page at www.example.org or e-mail a@b.org')).toEqual([])
    expect(all('x (https://a.org)')).toEqual([{ url: 'https://a.org', start: 3, end: 16 }])
  })
})

describe('extractLinks: hostile input finishes quickly', () => {
  it('200k \\href{ repeated', () => {
    expect(fast(() => links('\\href{'.repeat(200_000)))).toEqual({})
  })

  it('200k \\href{https:// repeated', () => {
    expect(fast(() => links('\\href{https://'.repeat(200_000)))).toEqual({})
  })

  it('http:// repeated without spaces', () => {
    expect(fast(() => links('http://'.repeat(200_000)))).toEqual({})
  })

  it('an opening-bracket flood after a URL', () => {
    const p = fast(() => links('Code: https://github.com/x/y' + '('.repeat(500_000)))
    expect(p).toEqual({})
  })

  it('an opening-bracket flood before a URL', () => {
    expect(fast(() => links('('.repeat(500_000) + 'Code: https://github.com/x/y)'))).toEqual({
      code: 'https://github.com/x/y'
    })
  })

  it('github.com/ repeated, with and without spaces', () => {
    expect(fast(() => links('github.com/'.repeat(200_000)))).toEqual({})
    expect(fast(() => links('github.com/ '.repeat(200_000)))).toEqual({})
    expect(fast(() => links('https://github.com/a/b '.repeat(100_000)))).toEqual({
      code: 'https://github.com/a/b'
    })
  })

  it('a long host-like run', () => {
    expect(fast(() => links('a.'.repeat(500_000) + 'github.io'))).toEqual({})
    expect(fast(() => links('a-'.repeat(500_000) + ' x.github.io/'))).toEqual({
      projectPage: 'https://x.github.io/'
    })
  })

  it('backslashes and dollar signs inside a URL', () => {
    expect(fast(() => links('https://x.org/' + '\\_$\\sim$'.repeat(100_000)))).toEqual({})
  })

  it('a 1 MB comment with the links at the end', () => {
    const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit (see Fig. 3) [12]. '.repeat(
      14_000
    )
    const comment = filler + 'Project page: https://vista-wm.github.io/. Code: https://github.com/x/vista.'
    expect(comment.length).toBeGreaterThan(1_000_000)
    expect(fast(() => links(comment))).toEqual({
      projectPage: 'https://vista-wm.github.io/',
      code: 'https://github.com/x/vista'
    })
  })

  it('considers only the first 100 links of a text', () => {
    const sites = (n: number) =>
      Array.from({ length: n }, (_, k) => `https://site${k}.example.org/`).join(' ')
    expect(links(`${sites(99)} Code: https://github.com/x/y`)).toEqual({
      projectPage: 'https://site0.example.org/',
      code: 'https://github.com/x/y'
    })
    expect(links(`${sites(100)} Code: https://github.com/x/y`)).toEqual({
      projectPage: 'https://site0.example.org/'
    })
  })

  it('a 1 MB abstract that is one long word', () => {
    expect(fast(() => links(undefined, 'x'.repeat(1_000_000), 'y'.repeat(100_000)))).toEqual({})
  })
})
