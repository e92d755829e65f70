// Template sources are strings in a module, not loose files, so they ship inside dist/.

/** The original service's alignment prompt: plain substitution and one numbered list. */
const alignmentAnalysis = `Analyze the alignment of this goal with the business foundation.

Goal: {{goal_text}}
Purpose: {{purpose}}
Values:
{{#each values}}
{{inc @index}}. {{this}}
{{/each}}
{{#if context}}
Context: {{context}}
{{/if}}
{{#if constraints}}
Constraints: {{constraints}}
{{/if}}
Respond with an alignment score from 0 to 100 and a short explanation.`

/** Nested loops and conditionals: categories with scores, strengths and improvements. */
const alignmentSuggestions = `You are a business coach. Suggest how to bring this goal into line with the business foundation.

Goal: {{goal}}

Business foundation:
- Vision: {{business_foundation.vision}}
- Mission: {{business_foundation.mission}}
{{#if business_foundation.core_values}}
- Core values: {{join business_foundation.core_values ", "}}
{{/if}}

Overall alignment: {{alignment_score.overall}}/100 ({{#if (gte alignment_score.overall 80)}}strong{{else if (gte alignment_score.overall 50)}}partial{{else}}weak{{/if}})

{{#each alignment_score.categories}}
{{inc @index}}. {{name}}: {{score}}/100{{#if (lt score 50)}} (needs attention){{/if}}
{{#if strengths}}
   Strengths:
{{#each strengths}}
   - {{this}}
{{/each}}
{{/if}}
{{#if improvements}}
   Improvements:
{{#each improvements}}
   {{inc @../index}}.{{inc @index}} {{this}}
{{/each}}
{{else}}
   No improvements suggested.
{{/if}}
{{/each}}
Give at most three concrete suggestions, highest impact first.`

/** Handlebars source of the seed template of every interaction, keyed by interaction code. */
export const seedTemplateSources: Readonly<Record<string, string>> = Object.freeze({
  ALIGNMENT_ANALYSIS: alignmentAnalysis,
  ALIGNMENT_SUGGESTIONS: alignmentSuggestions,
  STRATEGY_ANALYSIS: `Review this business strategy and name its strongest and weakest points.

Current strategy: {{current_strategy}}
{{#if industry}}Industry: {{industry}}
{{/if}}{{#if business_type}}Business type: {{business_type}}
{{/if}}{{#if goals}}
Goals:
{{#each goals}}
- {{this}}
{{/each}}
{{/if}}`,
  KPI_ANALYSIS: `Assess whether these KPIs measure what matters.

KPIs:
{{#each current_kpis}}
- {{#if name}}{{name}}{{#if target}} (target {{target}}){{/if}}{{else}}{{this}}{{/if}}
{{/each}}
{{#if goals}}Goals: {{join goals "; "}}
{{/if}}{{#if strategies}}Strategies: {{join strategies "; "}}
{{/if}}`,
  COACHING_RESPONSE: `You are a supportive business coach{{#if topic}} helping with {{topic}}{{/if}}{{#if phase}} in the {{phase}} phase{{/if}}.

Conversation so far:
{{conversation_context}}

User: {{user_message}}
Coach:`,
  ALIGNMENT_EXPLANATION: `Explain in plain language why this goal scored {{alignment_score}} for alignment.

Goal: {{goal}}
Business foundation: {{business_foundation}}`,
  STRATEGIC_ALIGNMENT: `Check whether these actions serve the goals and the business foundation.

Actions:
{{#each actions}}
{{inc @index}}. {{this}}
{{/each}}
Goals:
{{#each goals}}
- {{this}}
{{/each}}
Business foundation: {{business_foundation}}`,
  ROOT_CAUSE_ANALYSIS: `Find the likely root causes of this issue.

Issue: {{issue_title}}
{{issue_description}}
{{#if business_impact}}Business impact: {{business_impact}}
{{/if}}List causes from most to least likely, with the evidence for each.`,
  ACTION_SUGGESTIONS: `Suggest concrete actions that resolve this issue.

Issue: {{issue}}
{{#if constraints}}Constraints: {{constraints}}
{{/if}}{{#if context}}Context: {{context}}
{{/if}}`,
  PRIORITIZATION_SUGGESTIONS: `Prioritise these actions by impact and effort.

{{#each actions}}
{{inc @index}}. {{this}}
{{/each}}
{{#if goals}}Goals: {{join goals "; "}}
{{/if}}{{#if business_priorities}}Business priorities: {{join business_priorities "; "}}
{{/if}}`,
  SCHEDULING_SUGGESTIONS: `Propose a schedule for these actions.

{{#each actions}}
- {{this}}
{{/each}}
{{#if team_capacity}}Team capacity: {{team_capacity}}
{{/if}}{{#if constraints}}Constraints: {{constraints}}
{{/if}}`,
  INSIGHTS_GENERATION: `Draw business insights from this conversation and data.

Conversation:
{{conversation_history}}

Data:
{{business_data}}
{{#if focus_areas}}Focus on: {{join focus_areas ", "}}
{{/if}}`,
  ONBOARDING_SUGGESTIONS: `Help a new user set up their business profile.

They wrote: {{user_input}}
{{#if business_context}}Known context: {{business_context}}
{{/if}}Suggest the next three things to fill in.`,
  WEBSITE_SCAN: `Summarise what this business does from its website.

URL: {{website_url}}
Content:
{{website_content}}`,
})

/** Ids of the two seed templates the benchmarks render: the simple and the complex one. */
export const seedTemplateIds = Object.freeze({
  simple: 'tpl-alignment-analysis-v2',
  complex: 'tpl-alignment-suggestions-v2',
})

/** Parameters that satisfy the simple and complex seed templates (used by tests and benchmarks). */
export const sampleParameters = Object.freeze({
  simple: {
    goal_text: 'Grow recurring revenue by 20% this year',
    purpose: 'Help independent shops thrive',
    values: ['Integrity', 'Customer focus', 'Craftsmanship'],
  },
  complex: {
    goal: 'Open a second location by Q3',
    business_foundation: {
      vision: 'Every neighbourhood has a great bakery',
      mission: 'Bake honest bread for our community',
      core_values: ['Quality', 'Community', 'Sustainability'],
    },
    alignment_score: {
      overall: 72,
      categories: [
        {
          name: 'Vision fit',
          score: 85,
          strengths: ['Expands reach to a new neighbourhood', 'Builds the brand'],
          improvements: [],
        },
        {
          name: 'Financial readiness',
          score: 45,
          strengths: [],
          improvements: ['Build three months of cash reserve', 'Secure a supplier discount'],
        },
        {
          name: 'Team capacity',
          score: 60,
          strengths: ['Experienced head baker'],
          improvements: ['Hire a second shift lead'],
        },
      ],
    },
  },
})
