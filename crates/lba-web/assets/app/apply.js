/*
 * Progressive enhancement of the application form (#candidature): a live
 * character counter for the message and a size and type check of the CV
 * before sending. The server checks everything again; without this
 * script the form works the same.
 */
(function () {
  'use strict';

  const form = document.getElementById('candidature');
  if (!form) return;

  const message = document.getElementById('message');
  const counter = document.getElementById('message-compteur');
  if (message && counter) {
    const max = Number(counter.dataset.max) || 3000;
    const update = () => {
      const left = max - message.value.length;
      counter.textContent = left >= 0
        ? `${message.value.length} / ${max} caractères (${left} restant${left > 1 ? 's' : ''})`
        : `${-left} caractère${-left > 1 ? 's' : ''} de trop`;
    };
    message.addEventListener('input', update);
    update();
  }

  const cv = document.getElementById('cv');
  // 3 Mo = 3,000,000 bytes (the server's MAX_CV_BYTES, given by the form).
  const maxCv = Number(form.dataset.maxCv) || 3000000;
  const group = document.getElementById('cv-groupe');

  function showCvError(text) {
    let error = document.getElementById('cv-error');
    if (!text) {
      if (error && error.dataset.client) error.remove();
      group.classList.remove('fr-upload-group--error', 'fr-input-group--error');
      cv.removeAttribute('aria-invalid');
      cv.setCustomValidity('');
      return;
    }
    if (!error) {
      error = document.createElement('p');
      error.className = 'fr-error-text';
      error.id = 'cv-error';
      error.dataset.client = 'true';
      group.appendChild(error);
    }
    error.textContent = text;
    group.classList.add('fr-upload-group--error', 'fr-input-group--error');
    cv.setAttribute('aria-invalid', 'true');
    cv.setAttribute('aria-describedby', 'cv-error');
    cv.setCustomValidity(text);
  }

  function checkCv() {
    const file = cv.files && cv.files[0];
    if (!file) return showCvError('');
    if (!/\.(pdf|docx)$/i.test(file.name)) {
      return showCvError('Le nom du fichier doit se terminer par .pdf ou .docx.');
    }
    if (file.size > maxCv) {
      // Rounded up, so that a file just over the limit never reads "3,0 Mo".
      const mo = (Math.ceil(file.size / 100000) / 10).toFixed(1).replace('.', ',');
      return showCvError(`Le fichier pèse ${mo} Mo : il dépasse 3 Mo. Réduisez-le puis joignez-le à nouveau.`);
    }
    return showCvError('');
  }

  if (cv && group) {
    cv.addEventListener('change', checkCv);
    form.addEventListener('submit', (event) => {
      checkCv();
      if (!cv.checkValidity()) {
        event.preventDefault();
        cv.reportValidity();
      }
    });
  }
}());
