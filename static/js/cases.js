// Prefecture picker: typing filters the options of the select (name, city, department number).
document.addEventListener("DOMContentLoaded", () => {
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  document.querySelectorAll("input[data-filter-select]").forEach((input) => {
    const select = document.getElementById(input.dataset.filterSelect);
    if (!select) return;
    input.addEventListener("input", () => {
      const wanted = fold(input.value.trim());
      let first = null;
      Array.from(select.options).forEach((option) => {
        const shown = !wanted || !option.value || fold(option.text).includes(wanted);
        option.hidden = !shown;
        if (shown && option.value && first === null) first = option;
      });
      const current = select.selectedOptions[0];
      if (wanted && first && (!current || !current.value || current.hidden)) {
        select.value = first.value;
      }
    });
  });
});
