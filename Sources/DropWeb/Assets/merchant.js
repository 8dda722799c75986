// Keeps the merchant's payment list live: subscribes to the server-sent events of payments to
// this merchant and updates or adds rows. The page works the same without it (reload).
(function () {
  'use strict';
  var table = document.getElementById('merchant-payments');
  if (!table || !window.EventSource) { return; }
  var labels = JSON.parse(table.getAttribute('data-status-labels') || '{}');
  var icons = JSON.parse(table.getAttribute('data-status-icons') || '{}');
  var SVG = 'http://www.w3.org/2000/svg';
  var locale = table.getAttribute('data-locale') || 'nb-NO';
  var money = new Intl.NumberFormat(locale, { style: 'currency', currency: 'NOK' });
  var time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Oslo' });
  var body = table.tBodies[0];
  var none = document.getElementById('payments-none');
  var count = document.getElementById('today-count');
  var total = document.getElementById('today-total');
  // The board's day (Oslo midnight to midnight): the server counts a payment under the day it was made.
  var dayFrom = Date.parse(table.getAttribute('data-day-from') || '');
  var dayTo = Date.parse(table.getAttribute('data-day-to') || '');
  var source = new EventSource('/v1/merchants/me/events?lastEventId=' + encodeURIComponent(table.getAttribute('data-last-event-id') || '0'));

  function cell(row, text, className) {
    var td = document.createElement('td');
    if (className) { td.className = className; }
    td.textContent = text;
    row.appendChild(td);
    return td;
  }

  // Where the event's payment was made: -1 before the board's day (the bank paying or reversing it days
  // later), 1 after it (the page was left open past midnight), 0 on it or when the event doesn't say.
  function madeOn(payment) {
    var made = Date.parse(payment.createdAt || '');
    if (isNaN(made) || isNaN(dayFrom) || isNaN(dayTo)) { return 0; }
    return made < dayFrom ? -1 : (made >= dayTo ? 1 : 0);
  }

  function addToTotals(payment, sign) {
    if (!count || !total) { return; }
    var minor = Number(total.getAttribute('data-minor') || '0') + sign * payment.amount.amountMinor;
    total.setAttribute('data-minor', String(minor));
    total.textContent = money.format(minor / 100);
    count.textContent = String(Number(count.textContent || '0') + sign);
  }

  source.addEventListener('payment', function (event) {
    var payment = JSON.parse(event.data);
    var day = madeOn(payment);
    // A new day in Oslo: the new day's board, as the server counts it, not yesterday's with today's payments added.
    if (day > 0) { source.close(); window.location.reload(); return; }
    var row = document.getElementById('payment-' + payment.transactionId);
    // An earlier day's payment is not on this board: its day's totals are not these.
    if (!row && day < 0) { return; }
    if (!row) {
      row = document.createElement('tr');
      row.id = 'payment-' + payment.transactionId;
      var link = document.createElement('a');
      link.href = '/merchant/payments/' + encodeURIComponent(payment.transactionId);
      link.textContent = time.format(new Date(payment.createdAt || payment.at));
      cell(row, '').appendChild(link);
      cell(row, money.format(payment.amount.amountMinor / 100), 'amount');
      // The signed order reference and a static payer's own words never share a column.
      cell(row, payment.reference || '');
      cell(row, payment.payerMessage || '', 'payer-message');
      cell(row, '').appendChild(document.createElement('span'));
      body.insertBefore(row, body.firstChild);
      if (none) { none.hidden = true; }
    } else if (payment.payerMessage) {
      // The payer's words come once they approved at their bank, after the row was first drawn.
      var words = row.querySelector('.payer-message');
      if (words && !words.textContent) { words.textContent = payment.payerMessage; }
    }
    // Today's totals count what the shop received: one that completes while the page is open adds to them.
    var paidLate = row.hasAttribute('data-settled-after-end');
    var was = row.getAttribute('data-status') === 'completed' || paidLate;
    var completedNow = payment.status === 'completed' || paidLate;
    if (day === 0 && was !== completedNow) { addToTotals(payment, completedNow ? 1 : -1); }
    row.setAttribute('data-status', payment.status);
    var badge = row.lastElementChild.querySelector('span') || row.lastElementChild;
    badge.className = 'status status-' + payment.status;
    badge.textContent = labels[payment.status] || payment.status;
    if (icons[payment.status]) {
      // The same pill the server draws: the sprite's icon, then the word.
      var icon = document.createElementNS(SVG, 'svg'), use = document.createElementNS(SVG, 'use');
      icon.setAttribute('class', 'icon'); icon.setAttribute('aria-hidden', 'true'); icon.setAttribute('focusable', 'false');
      use.setAttribute('href', '#i-' + icons[payment.status]);
      icon.appendChild(use);
      badge.insertBefore(icon, badge.firstChild);
    }
  });

  // The bank reports a completed payment reversed: its row says not to rely on it (the totals
  // stay until Drop has confirmed it with the bank).
  source.addEventListener('reversal_reported', function (event) {
    var payment = JSON.parse(event.data);
    var row = document.getElementById('payment-' + payment.transactionId);
    if (!row || row.querySelector('.reversal')) { return; }
    var note = document.createElement('small');
    note.className = 'reversal';
    note.textContent = table.getAttribute('data-reversal-note') || '';
    row.lastElementChild.appendChild(document.createElement('br'));
    row.lastElementChild.appendChild(note);
  });

  // The payer's bank paid a payment after Drop had ended it: the status stays, but the shop has the
  // money, so its row says not to ask for it again and today's totals count it.
  source.addEventListener('settled_after_end', function (event) {
    var payment = JSON.parse(event.data);
    var row = document.getElementById('payment-' + payment.transactionId);
    if (!row || row.hasAttribute('data-settled-after-end')) { return; }
    if (row.getAttribute('data-status') !== 'completed' && madeOn(payment) === 0) { addToTotals(payment, 1); }
    row.setAttribute('data-settled-after-end', '1');
    var note = document.createElement('small');
    note.className = 'settled-after-end';
    note.textContent = table.getAttribute('data-settled-note') || '';
    row.lastElementChild.appendChild(document.createElement('br'));
    row.lastElementChild.appendChild(note);
  });
})();
