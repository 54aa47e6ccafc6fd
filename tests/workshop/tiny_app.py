"""A stand-in Textual app for the browser test when this branch has no ztlab TUI yet."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class TinyApp(App):
    def compose(self) -> ComposeResult:
        yield Static("ztlab stand-in app: press ctrl+p")
        yield Footer()


if __name__ == "__main__":
    TinyApp().run()
