// Passkeys (WebAuthn) on the account page (add one), the sign-in page (passwordless) and
// the second step of a password sign-in. The server keeps each ceremony's state; this
// script only carries the options to the browser's authenticator and its answer back,
// turning base64url into bytes and back on the way.
(function () {
  'use strict';

  const status = document.getElementById('passkey-status');
  const say = (text) => { if (status) status.textContent = text; };

  const supported = typeof window.PublicKeyCredential === 'function'
    && !!navigator.credentials && typeof navigator.credentials.create === 'function';

  function bytes(b64url) {
    const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
    const raw = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0)).buffer;
  }

  function b64url(buffer) {
    let raw = '';
    for (const b of new Uint8Array(buffer)) raw += String.fromCharCode(b);
    return btoa(raw).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  async function api(path, csrf, body) {
    const response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf || '' },
      body: JSON.stringify(body || {}),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.detail || `Huddle answered ${response.status}`);
    return answer;
  }

  // The browser's own words for a cancelled or timed-out prompt are unhelpful.
  function problem(e) {
    if (e && e.name === 'NotAllowedError') return 'The passkey prompt was closed or timed out. Try again.';
    if (e && e.name === 'InvalidStateError') return 'This device already has a passkey for your account.';
    return (e && e.message) || 'That did not work. Try again.';
  }

  async function create(options) {
    const pk = options.publicKey;
    pk.challenge = bytes(pk.challenge);
    pk.user.id = bytes(pk.user.id);
    for (const c of pk.excludeCredentials || []) c.id = bytes(c.id);
    const credential = await navigator.credentials.create({ publicKey: pk });
    const r = credential.response;
    return {
      id: credential.id,
      rawId: b64url(credential.rawId),
      type: credential.type,
      response: {
        attestationObject: b64url(r.attestationObject),
        clientDataJSON: b64url(r.clientDataJSON),
        transports: typeof r.getTransports === 'function' ? r.getTransports() : undefined,
      },
      extensions: credential.getClientExtensionResults(),
    };
  }

  async function get(options) {
    const pk = options.publicKey;
    pk.challenge = bytes(pk.challenge);
    for (const c of pk.allowCredentials || []) c.id = bytes(c.id);
    const credential = await navigator.credentials.get({ publicKey: pk });
    const r = credential.response;
    return {
      id: credential.id,
      rawId: b64url(credential.rawId),
      type: credential.type,
      response: {
        authenticatorData: b64url(r.authenticatorData),
        clientDataJSON: b64url(r.clientDataJSON),
        signature: b64url(r.signature),
        userHandle: r.userHandle ? b64url(r.userHandle) : null,
      },
      extensions: credential.getClientExtensionResults(),
    };
  }

  // Account page: add a named passkey, then show the list again.
  const add = document.getElementById('passkey-add');
  if (add) {
    const button = document.getElementById('passkey-add-button');
    const csrf = add.querySelector('input[name=csrf_token]').value;
    if (!supported) {
      button.disabled = true;
      say('This browser cannot use passkeys (no WebAuthn). Use a current browser to add one.');
    }
    add.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!supported) return;
      const name = add.querySelector('input[name=name]').value;
      button.disabled = true;
      say('Follow your browser\'s prompt to create the passkey…');
      try {
        const begun = await api('/api/v1/me/passkeys/registration', csrf);
        const credential = await create(begun.options);
        await api('/api/v1/me/passkeys', csrf, { ceremony: begun.ceremony, name, credential });
        say('Passkey added.');
        window.location.assign('/account');
      } catch (e) {
        say(problem(e));
        button.disabled = false;
      }
    });
  }

  // Sign-in (passwordless) and the second step after a password: the same dance.
  function signIn(sectionId, buttonId, begin, finish) {
    const section = document.getElementById(sectionId);
    if (!section) return;
    const button = document.getElementById(buttonId);
    if (!supported) {
      say('This browser cannot use passkeys (no WebAuthn).');
      return;
    }
    button.hidden = false;
    button.addEventListener('click', async () => {
      const csrf = section.dataset.csrf;
      button.disabled = true;
      say('Follow your browser\'s prompt to use your passkey…');
      try {
        const begun = await api(begin, csrf);
        const credential = await get(begun.options);
        await api(finish, csrf, { ceremony: begun.ceremony, credential });
        say('Signed in.');
        window.location.assign(section.dataset.next || '/');
      } catch (e) {
        say(problem(e));
        button.disabled = false;
      }
    });
  }

  signIn('passkey-signin', 'passkey-signin-button',
    '/api/v1/auth/passkey/challenge', '/api/v1/auth/passkey');
  signIn('passkey-second-factor', 'passkey-second-factor-button',
    '/api/v1/auth/passkey/second-factor/challenge', '/api/v1/auth/passkey/second-factor');
}());
