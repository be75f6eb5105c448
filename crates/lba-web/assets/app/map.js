/*
 * Results map: one circle per course, offer or company listed on the page,
 * read from `#carte[data-markers]`. No tile layer (and so no third-party
 * request) unless the page gives `data-tiles`, a tile URL template served by
 * whoever the deployment trusts; the background is then a neutral colour
 * from app.css. The lists under the map carry the same results, so the map
 * is a visual aid, not the only way in.
 */
(function () {
  'use strict';

  var COLOURS = { formation: '#000091', offre: '#18753c', entreprise: '#b34000' };
  var KINDS = { formation: 'Formation', offre: 'Offre', entreprise: 'Entreprise' };
  var FRANCE = [46.6, 2.4];

  function popup(marker) {
    var box = document.createElement('div');
    var kind = document.createElement('p');
    kind.className = 'fr-text--xs fr-mb-1v';
    kind.textContent = KINDS[marker.kind] || '';
    box.appendChild(kind);
    var link = document.createElement(marker.url ? 'a' : 'span');
    if (marker.url) link.href = marker.url;
    link.textContent = marker.label || marker.url || '';
    box.appendChild(link);
    return box;
  }

  /** A small key of the colours used, for the kinds present. */
  function legend(L, kinds) {
    var control = L.control({ position: 'bottomright' });
    control.onAdd = function () {
      var box = L.DomUtil.create('ul', 'lba-map-legend');
      kinds.forEach(function (kind) {
        var item = L.DomUtil.create('li', '', box);
        var dot = L.DomUtil.create('span', 'lba-map-legend__dot', item);
        dot.style.background = COLOURS[kind];
        dot.setAttribute('aria-hidden', 'true');
        item.appendChild(document.createTextNode(KINDS[kind] + 's'));
      });
      return box;
    };
    return control;
  }

  function init() {
    var el = document.getElementById('carte');
    var L = window.L;
    if (!el || !L || el.getAttribute('data-map-ready') !== null) return;
    el.setAttribute('data-map-ready', '');
    var markers;
    try {
      markers = JSON.parse(el.getAttribute('data-markers') || '[]');
    } catch (e) {
      return;
    }
    if (!Array.isArray(markers)) return;
    markers = markers.filter(function (m) {
      return m && isFinite(m.lat) && isFinite(m.lon);
    });

    el.setAttribute('role', 'region');
    if (!el.hasAttribute('aria-label')) {
      el.setAttribute('aria-label', 'Carte des résultats (' + markers.length + ' lieux)');
    }

    var tiles = el.getAttribute('data-tiles');
    var map = L.map(el, { zoomControl: false, attributionControl: Boolean(tiles), scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: 'Zoom avant', zoomOutTitle: 'Zoom arrière' }).addTo(map);
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 18, attribution: el.getAttribute('data-tiles-attribution') || '' }).addTo(map);
    }

    var group = L.featureGroup();
    markers.forEach(function (m) {
      var colour = COLOURS[m.kind] || '#3a3a3a';
      L.circleMarker([Number(m.lat), Number(m.lon)], {
        radius: 7,
        color: '#ffffff',
        weight: 2,
        fillColor: colour,
        fillOpacity: 0.9,
        className: 'lba-marker lba-marker--' + (KINDS[m.kind] ? m.kind : 'autre')
      })
        .bindPopup(popup(m))
        .addTo(group);
    });
    group.addTo(map);
    var present = Object.keys(KINDS).filter(function (kind) {
      return markers.some(function (m) { return m.kind === kind; });
    });
    if (present.length) legend(L, present).addTo(map);

    if (markers.length) {
      map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 13 });
    } else {
      map.setView(FRANCE, 5);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
