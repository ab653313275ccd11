/**
 * Finds references in an HTML document that would make a browser fetch something from the network.
 *
 * Checked: resource-loading attributes (src, srcset, data, poster, background, <link href>,
 * <image>/<use> href and xlink:href), inline style attributes and <style> blocks (url(...) and
 * @import). Not checked, deliberately: the *bodies* of <script> elements — plotly.js is inlined
 * and contains URL strings in its code (e.g. for its optional map tiles and "edit in chart studio"
 * link, neither of which we use) — and <a href> hyperlinks, which are navigation, not fetches.
 */
const EXTERNAL = /^\s*(https?:|ftp:|\/\/)/i;
const CSS_EXTERNAL = /(@import\s+(url\()?\s*['"]?\s*(https?:|\/\/))|(url\(\s*['"]?\s*(https?:|\/\/))/i;

export function findExternalReferences(html: string): string[] {
  const found: string[] = [];
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const styles: string[] = [];
  // Keep the opening tags of script/style (their attributes count) but drop their bodies.
  const skeleton = withoutComments
    .replace(/<script\b([^>]*)>[\s\S]*?<\/script\s*>/gi, '<script$1></script>')
    .replace(/<style\b([^>]*)>([\s\S]*?)<\/style\s*>/gi, (_m, attrs: string, body: string) => {
      styles.push(body);
      return `<style${attrs}></style>`;
    });
  for (const body of styles) {
    const m = CSS_EXTERNAL.exec(body);
    if (m) found.push(`<style>: ${m[0]}`);
  }
  const tagRe = /<([a-zA-Z][\w:-]*)\b([^>]*)>/g;
  const attrRe = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/g;
  let tag: RegExpExecArray | null;
  while ((tag = tagRe.exec(skeleton)) !== null) {
    const name = tag[1].toLowerCase();
    let attr: RegExpExecArray | null;
    attrRe.lastIndex = 0;
    while ((attr = attrRe.exec(tag[2])) !== null) {
      const key = attr[1].toLowerCase();
      const value = attr[3] ?? attr[4] ?? attr[5] ?? '';
      const loads = key === 'src' || key === 'data' || key === 'poster' || key === 'background' || key === 'xlink:href' ||
        (key === 'href' && name !== 'a');
      if (loads && EXTERNAL.test(value)) found.push(`<${name} ${key}="${value}">`);
      if (key === 'srcset' && value.split(',').some((part) => EXTERNAL.test(part))) found.push(`<${name} srcset="${value}">`);
      if (key === 'style' && CSS_EXTERNAL.test(value)) found.push(`<${name} style="${value}">`);
    }
  }
  return found;
}
