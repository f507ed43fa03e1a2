// Jest transform for Vue single-file components: Vue's own compiler (vue/compiler-sfc, the one
// @vitejs/plugin-vue uses) turns <script setup lang="ts"> and its template into one TypeScript
// module, and swc turns that into CommonJS as for every other file. Styles are left out: jsdom
// does not lay anything out. @vue/vue3-jest would do the same, but it is built for jest 29
// (peer jest 29.x, babel-jest 29.x) and this repository runs jest 30.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');
const { compileScript, compileTemplate, parse } = require('vue/compiler-sfc');
const { transformSync } = require('@swc/core');

const ownSource = readFileSync(path.join(__dirname, 'vue-sfc-transform.js'), 'utf8');
const vueVersion = require('vue/package.json').version;

function compileSfc(source, filename) {
  const { descriptor, errors } = parse(source, { filename });
  if (errors.length) throw new Error(`${filename}: ${errors[0].message ?? errors[0]}`);
  const id = createHash('sha256').update(filename).digest('hex').slice(0, 8);
  if (descriptor.scriptSetup || descriptor.script) {
    // the template is compiled into setup()'s render function, as in a production build
    return compileScript(descriptor, {
      id,
      inlineTemplate: true,
      genDefaultAs: '_sfc_main',
    }).content.concat('\nexport default _sfc_main;\n');
  }
  const template = compileTemplate({ id, filename, source: descriptor.template?.content ?? '' });
  return `${template.code}\nexport default { render };\n`;
}

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(compileSfc(source, filename), {
      filename: `${path.basename(filename)}.ts`,
      sourceMaps: true,
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      module: { type: 'commonjs' },
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash('sha256')
      .update(ownSource)
      .update(vueVersion)
      .update(filename)
      .update(source)
      .digest('hex');
  },
};
