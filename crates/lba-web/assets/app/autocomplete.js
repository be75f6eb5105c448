/*
 * Autocomplete of the search form (métiers and places), progressive
 * enhancement: without this script the server resolves the typed text itself.
 *
 * Each `input[data-autocomplete]` becomes an ARIA 1.2 combobox ("list"
 * autocomplete) controlling a `ul[role=listbox]`; the option under the
 * keyboard is announced through `aria-activedescendant`, and a polite live
 * region says how many suggestions there are. Choosing one fills the hidden
 * fields the server prefers over the text (`#romes`; `#latitude`,
 * `#longitude`, `#insee`); typing again clears them.
 *
 * Plain ES2019, no framework, no build step.
 */
(function () {
  'use strict';

  var DEBOUNCE_MS = 150;
  var MIN_CHARS = 2;

  /** What each kind fetches, shows and fills. */
  var SOURCES = {
    metiers: {
      url: function (q) { return '/api/v1/metiers?title=' + encodeURIComponent(q); },
      items: function (json) {
        return (json && json.labelsAndRomes ? json.labelsAndRomes : []).slice(0, 10).map(function (m) {
          var romes = Array.isArray(m.romes) ? m.romes : [];
          return { text: m.label, hint: romes.join(', '), value: m.label, fields: { romes: romes.join(',') } };
        });
      },
      hidden: ['romes']
    },
    places: {
      url: function (q) { return '/api/v1/places?limit=8&q=' + encodeURIComponent(q); },
      items: function (json) {
        return (json && json.places ? json.places : []).map(function (p) {
          var text = p.postalCode ? p.name + ' (' + p.postalCode + ')' : p.name;
          var hint = p.departementName ? p.departementName + (p.departement ? ' (' + p.departement + ')' : '') : '';
          return {
            text: text,
            hint: hint,
            value: text,
            fields: { latitude: String(p.latitude), longitude: String(p.longitude), insee: p.insee || '' }
          };
        });
      },
      hidden: ['latitude', 'longitude', 'insee']
    }
  };

  function plural(n) {
    if (n === 0) return 'Aucune suggestion';
    return n === 1 ? '1 suggestion disponible' : n + ' suggestions disponibles';
  }

  /** The hidden field `name` of the input's form (by id first, as the pages give it). */
  function hiddenField(input, name) {
    var byId = document.getElementById(name);
    if (byId) return byId;
    return input.form ? input.form.querySelector('[name="' + name + '"]') : null;
  }

  function labelId(input) {
    var label = input.id ? document.querySelector('label[for="' + input.id + '"]') : null;
    if (!label) return null;
    if (!label.id) label.id = input.id + '-label';
    return label.id;
  }

  function Combobox(input, source) {
    this.input = input;
    this.source = source;
    this.items = [];
    this.active = -1;
    this.timer = 0;
    this.seq = 0;
    this.controller = null;

    var base = input.id || 'lba-ac-' + Math.random().toString(36).slice(2);
    this.list = document.createElement('ul');
    this.list.id = base + '-listbox';
    this.list.className = 'lba-listbox';
    this.list.setAttribute('role', 'listbox');
    var lid = labelId(input);
    if (lid) this.list.setAttribute('aria-labelledby', lid);
    else this.list.setAttribute('aria-label', 'Suggestions');
    this.list.hidden = true;

    this.status = document.createElement('div');
    this.status.className = 'fr-sr-only lba-ac-status';
    this.status.setAttribute('role', 'status');
    this.status.setAttribute('aria-live', 'polite');
    this.status.setAttribute('aria-atomic', 'true');

    input.insertAdjacentElement('afterend', this.list);
    this.list.insertAdjacentElement('afterend', this.status);
    if (input.parentElement) input.parentElement.classList.add('lba-ac-host');

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', this.list.id);
    input.setAttribute('autocomplete', 'off');

    input.addEventListener('input', this.onInput.bind(this));
    input.addEventListener('keydown', this.onKeydown.bind(this));
    input.addEventListener('blur', this.close.bind(this));
    // Keep the focus in the input while the mouse picks an option.
    this.list.addEventListener('mousedown', function (e) { e.preventDefault(); });
    this.list.addEventListener('click', this.onClick.bind(this));
  }

  Combobox.prototype.isOpen = function () {
    return this.input.getAttribute('aria-expanded') === 'true';
  };

  Combobox.prototype.clearHidden = function () {
    var input = this.input;
    this.source.hidden.forEach(function (name) {
      var field = hiddenField(input, name);
      if (field) field.value = '';
    });
  };

  Combobox.prototype.onInput = function () {
    var self = this;
    this.clearHidden();
    window.clearTimeout(this.timer);
    var query = this.input.value.trim();
    if (query.length < MIN_CHARS) {
      this.abort();
      this.close();
      return;
    }
    this.timer = window.setTimeout(function () { self.fetch(query); }, DEBOUNCE_MS);
  };

  Combobox.prototype.abort = function () {
    this.seq += 1;
    if (this.controller) this.controller.abort();
    this.controller = null;
  };

  Combobox.prototype.fetch = function (query) {
    var self = this;
    this.abort();
    var seq = this.seq;
    this.controller = typeof AbortController === 'function' ? new AbortController() : null;
    window.fetch(this.source.url(query), {
      headers: { Accept: 'application/json' },
      signal: this.controller ? this.controller.signal : undefined
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (json) {
        // A newer keystroke or a blur wins over this late answer.
        if (seq !== self.seq || document.activeElement !== self.input) return;
        self.render(self.source.items(json));
      })
      .catch(function () { /* offline or aborted: the server resolves the text on submit */ });
  };

  Combobox.prototype.render = function (items) {
    var self = this;
    this.items = items;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.textContent = '';
    items.forEach(function (item, i) {
      var li = document.createElement('li');
      li.id = self.list.id + '-' + i;
      li.className = 'lba-option';
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.index = String(i);
      var text = document.createElement('span');
      text.className = 'lba-option__text';
      text.textContent = item.text;
      li.appendChild(text);
      if (item.hint) {
        var hint = document.createElement('span');
        hint.className = 'lba-option__hint';
        hint.textContent = item.hint;
        li.appendChild(hint);
      }
      self.list.appendChild(li);
    });
    this.status.textContent = plural(items.length);
    if (items.length) this.open();
    else this.close();
  };

  Combobox.prototype.open = function () {
    // Just under the input, whatever the DSFR markup around it.
    this.list.style.top = this.input.offsetTop + this.input.offsetHeight + 'px';
    this.list.style.left = this.input.offsetLeft + 'px';
    this.list.style.width = this.input.offsetWidth + 'px';
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  };

  Combobox.prototype.close = function () {
    window.clearTimeout(this.timer);
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
    this.active = -1;
  };

  Combobox.prototype.move = function (delta) {
    var n = this.items.length;
    if (!n) return;
    if (!this.isOpen()) this.open();
    var next = this.active < 0 ? (delta > 0 ? 0 : n - 1) : (this.active + delta + n) % n;
    this.highlight(next);
  };

  Combobox.prototype.highlight = function (index) {
    var options = this.list.querySelectorAll('[role="option"]');
    for (var i = 0; i < options.length; i += 1) {
      options[i].setAttribute('aria-selected', i === index ? 'true' : 'false');
    }
    this.active = index;
    var option = options[index];
    if (option) {
      this.input.setAttribute('aria-activedescendant', option.id);
      if (option.scrollIntoView) option.scrollIntoView({ block: 'nearest' });
    }
  };

  Combobox.prototype.select = function (index) {
    var item = this.items[index];
    if (!item) return;
    var input = this.input;
    this.abort();
    input.value = item.value;
    Object.keys(item.fields).forEach(function (name) {
      var field = hiddenField(input, name);
      if (field) field.value = item.fields[name];
    });
    this.close();
    this.status.textContent = '';
    input.dispatchEvent(new Event('change', { bubbles: true }));
  };

  Combobox.prototype.onKeydown = function (e) {
    switch (e.key) {
      case 'ArrowDown':
      case 'Down':
        e.preventDefault();
        if (e.altKey) { if (this.items.length) this.open(); } else this.move(1);
        break;
      case 'ArrowUp':
      case 'Up':
        e.preventDefault();
        this.move(-1);
        break;
      case 'Enter':
        if (this.isOpen()) {
          // Choosing a suggestion must not submit the form.
          e.preventDefault();
          if (this.active >= 0) this.select(this.active);
          else this.close();
        }
        break;
      case 'Escape':
      case 'Esc':
        if (this.isOpen()) {
          e.preventDefault();
          this.close();
        }
        break;
      case 'Tab':
        this.close();
        break;
      default:
        break;
    }
  };

  Combobox.prototype.onClick = function (e) {
    var option = e.target.closest ? e.target.closest('[role="option"]') : null;
    if (option) this.select(Number(option.dataset.index));
  };

  function init() {
    var inputs = document.querySelectorAll('input[data-autocomplete]');
    for (var i = 0; i < inputs.length; i += 1) {
      var source = SOURCES[inputs[i].getAttribute('data-autocomplete')];
      if (source && !inputs[i].hasAttribute('data-autocomplete-ready')) {
        inputs[i].setAttribute('data-autocomplete-ready', '');
        new Combobox(inputs[i], source);
      }
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
