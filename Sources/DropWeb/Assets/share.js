// The tracking link just made: copy it, or hand it to the phone's share sheet. Without JavaScript
// the link is still there to select and copy, so both buttons start hidden.
(function () {
  const copy = document.querySelector("[data-copy]");
  const share = document.querySelector("[data-share]");
  const field = document.querySelector("[data-share-url]");
  if (!field) return;
  if (copy && navigator.clipboard) {
    copy.hidden = false;
    const label = copy.textContent;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(field.value).then(() => {
        copy.textContent = copy.dataset.copied || label;
        setTimeout(() => { copy.textContent = label; }, 2000);
      });
    });
  }
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", () => { navigator.share({ url: field.value }).catch(() => {}); });
  }
})();
