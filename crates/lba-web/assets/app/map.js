/*
 * Results map: one circle per course, offer or company listed on the page,
 * read from `#carte[data-markers]`. The base layer is offline: the outlines
 * of the départements (`data-outlines`, GeoJSON served by the app from the
 * data directory), with the searched place and the search radius drawn
 * (`data-center`, `data-radius-km`). No tile layer (and so no third-party
 * request) unless the page gives `data-tiles`, a tile URL template served by
 * whoever the deployment trusts. The lists under the map carry the same
 * results, so the map is a visual aid, not the only way in.
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

    // The searched place and the radius circle.
    var extent = L.featureGroup();
    // The circle's own bounds need a map with a view: computed from the
    // centre instead.
    var extentBounds = null;
    var center = (el.getAttribute('data-center') || '').split(',').map(Number);
    var radiusKm = Number(el.getAttribute('data-radius-km'));
    if (center.length === 2 && center.every(isFinite)) {
      extentBounds = L.latLng(center).toBounds(Math.max(radiusKm, 1) * 2000);
      if (radiusKm > 0) {
        L.circle(center, {
          radius: radiusKm * 1000,
          color: '#000091',
          weight: 2,
          dashArray: '6 4',
          fillColor: '#000091',
          fillOpacity: 0.04,
          interactive: false,
          className: 'lba-radius'
        }).addTo(extent);
      }
      L.circleMarker(center, {
        radius: 5,
        color: '#000091',
        weight: 3,
        fillColor: '#ffffff',
        fillOpacity: 1,
        interactive: false,
        className: 'lba-center'
      }).addTo(extent);
      extent.addTo(map);
    }

    // The outlines under everything else, once loaded (same origin).
    var outlines = el.getAttribute('data-outlines');
    if (outlines && window.fetch) {
      window.fetch(outlines, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (geo) {
          if (!geo) return;
          var layer = L.geoJSON(geo, {
            interactive: false,
            style: function () {
              return { color: '#929292', weight: 1, fillColor: '#f6f6f6', fillOpacity: 1, className: 'lba-outline' };
            }
          }).addTo(map);
          layer.bringToBack();
          el.setAttribute('data-outlines-ready', String(geo.features ? geo.features.length : 0));
        })
        .catch(function () { /* the markers stay, on the neutral background */ });
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

    var bounds = null;
    if (markers.length) bounds = group.getBounds();
    if (extentBounds) {
      bounds = bounds ? bounds.extend(extentBounds) : extentBounds;
    }
    if (bounds && bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
    } else {
      map.setView(FRANCE, 5);
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
