/// The web pages' repeated markup as tests expect it: a status pill and a tracker step, each with
/// the sprite's icon (`Icon` in DropWeb) before its word.
enum WebMarkup {
    static func icon(_ name: String) -> String {
        let classes = ["send", "undo"].contains(name) ? "icon flip" : "icon"
        return ##"<svg class="\##(classes)" aria-hidden="true" focusable="false"><use href="#i-\##(name)"/></svg>"##
    }

    /// `<span class="status status-completed">` + the check icon + "Fullført".
    static func pill(_ status: String, icon name: String, _ word: String) -> String {
        #"<span class="status status-\#(status)">\#(icon(name))\#(word)</span>"#
    }

    /// The start of a tracker step up to its label; `icon` is nil for a step still to come.
    static func step(_ state: String, icon name: String?, _ label: String) -> String {
        let current = state == "current" ? #" aria-current="step""# : ""
        return #"<li class="step step-\#(state)"\#(current)><span class="step-mark">\#(name.map(icon) ?? "")</span><span class="step-label">\#(label)</span>"#
    }
}
