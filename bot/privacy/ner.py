"""Stage 5 of the guard, optional: person names found by a named-entity model through Presidio.

Off unless the operator installs `presidio-analyzer` and a spaCy model and names the model in
`PRECEPTOR_PHI_NER` (for example `en_core_web_lg`). The rules of the other stages are complete
without it; the model adds names no list knows, and each one still goes through the colleague
rule, so "thanks Dr. Okonkwo-Reyes" passes whatever the model says.
"""

from dataclasses import dataclass


@dataclass
class EntityModel:
    """Spans of text that a spaCy model, through Presidio, calls a person."""

    model: str

    def __post_init__(self):
        from presidio_analyzer import AnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": self.model}]})
        self._analyzer = AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])

    def persons(self, text: str) -> list[tuple[int, int]]:
        results = self._analyzer.analyze(text, language="en", entities=["PERSON"], score_threshold=0.5)
        return [(r.start, r.end) for r in results]
